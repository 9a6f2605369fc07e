/**
 * Messages of the one-shot verbs of the command line and their JSON output; in Brazilian
 * Portuguese, key for key as `en_oneshot.ts`. Spread into `pt.ts`. See `core/i18n.ts` for the
 * rules and the glossary.
 */
import type { enOneshot } from "./en_oneshot.ts";
import type { Entry } from "./types.ts";

const tracker =
  "o rastreador: HOST ou HOST:PORT (porta 9450 se não dada); sem ele, é procurado na rede local";
const network = "sem --tracker: usa o rastreador desta rede encontrado na rede local";
const noDiscovery = "nunca procura o rastreador na rede local: --tracker é obrigatório";
const discoveryVia = "procura o rastreador só pela interface de rede deste endereço IPv4";
const discoveryPort = "porta UDP da descoberta (padrão 9451; a mesma do rastreador)";
const code = "o código de acesso da rede (perguntado num terminal quando preciso)";
const json = "imprime o resultado como um documento JSON (veja docs/JSON.md)";
const verbose = "detalhes dos erros";
const dir = "pasta compartilhada pela qual a execução age (tem de existir, salvo a padrão)";
const manifest = "lista dos arquivos compartilhados, um 'NOME CAMINHO' por linha";
const name = "seu nome na rede enquanto a execução estiver listada (padrão: nome da máquina)";

export const ptOneshot: Record<keyof typeof enOneshot, Entry> = {
  "oneshot.badVia": "--discovery-via aceita um endereço IPv4 desta máquina, não '{value}'",
  "oneshot.noTracker":
    "Nenhum rastreador dado, e --no-discovery: indique-o com --tracker HOST[:PORT]",
  "oneshot.seeding":
    'Semeando como "{name}" em {address}: o que este par compartilha é servido até Ctrl-C ou SIGTERM',
  "oneshot.helpCli":
    "Na linha de comando, '{verb}' se conecta ao rastreador (--tracker, senão o encontrado na\n" +
    "rede local), faz seu trabalho como no prompt, imprime as mesmas linhas e sai: status de\n" +
    "saída 0 em caso de sucesso, 1 numa falha, 2 num erro de uso. Com --json o resultado é um\n" +
    "documento JSON.",
  "oneshot.helpShellOnly": "'{verb}' é um verbo do prompt de 'rede-p2p join'.",
  "oneshot.helpCliOnly": "'{verb}' é um verbo da linha de comando: 'rede-p2p {verb}'.",
  "help.peers.opt.tracker": tracker,
  "help.peers.opt.network": network,
  "help.peers.opt.no-discovery": noDiscovery,
  "help.peers.opt.discovery-port": discoveryPort,
  "help.peers.opt.discovery-via": discoveryVia,
  "help.peers.opt.code": code,
  "help.peers.opt.json": json,
  "help.peers.opt.verbose": verbose,
  "help.ls.opt.tracker": tracker,
  "help.ls.opt.network": network,
  "help.ls.opt.no-discovery": noDiscovery,
  "help.ls.opt.discovery-port": discoveryPort,
  "help.ls.opt.discovery-via": discoveryVia,
  "help.ls.opt.code": code,
  "help.ls.opt.json": json,
  "help.ls.opt.verbose": verbose,
  "help.find.opt.tracker": tracker,
  "help.find.opt.network": network,
  "help.find.opt.no-discovery": noDiscovery,
  "help.find.opt.discovery-port": discoveryPort,
  "help.find.opt.discovery-via": discoveryVia,
  "help.find.opt.code": code,
  "help.find.opt.json": json,
  "help.find.opt.verbose": verbose,
  "help.get.opt.tracker": tracker,
  "help.get.opt.network": network,
  "help.get.opt.no-discovery": noDiscovery,
  "help.get.opt.discovery-port": discoveryPort,
  "help.get.opt.discovery-via": discoveryVia,
  "help.get.opt.code": code,
  "help.get.opt.json": json,
  "help.get.opt.verbose": verbose,
  "help.get.opt.dir":
    "pasta compartilhada onde os arquivos chegam (tem de existir, salvo a padrão)",
  "help.get.opt.manifest": manifest,
  "help.get.opt.name": name,
  "help.get.opt.seed":
    "continua registrado depois dos downloads e serve o que esta pasta compartilha, até Ctrl-C",
  "help.push.opt.tracker": tracker,
  "help.push.opt.network": network,
  "help.push.opt.no-discovery": noDiscovery,
  "help.push.opt.discovery-port": discoveryPort,
  "help.push.opt.discovery-via": discoveryVia,
  "help.push.opt.code": code,
  "help.push.opt.json": json,
  "help.push.opt.verbose": verbose,
  "help.push.opt.dir": dir,
  "help.push.opt.manifest": manifest,
  "help.push.opt.name": name,
  "help.hand-in.opt.tracker": tracker,
  "help.hand-in.opt.network": network,
  "help.hand-in.opt.no-discovery": noDiscovery,
  "help.hand-in.opt.discovery-port": discoveryPort,
  "help.hand-in.opt.discovery-via": discoveryVia,
  "help.hand-in.opt.code": code,
  "help.hand-in.opt.json": json,
  "help.hand-in.opt.verbose": verbose,
  "help.hand-in.opt.dir": dir,
  "help.hand-in.opt.manifest": manifest,
  "help.hand-in.opt.name": name,
  "help.id.opt.json": json,
  "help.verify-receipt.opt.json": json,
  "help.receipts.opt.json": json,
};
