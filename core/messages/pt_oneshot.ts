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
  "help.get.opt.dir":
    "pasta compartilhada onde os arquivos chegam (tem de existir, salvo a padrão)",
  "help.get.opt.seed":
    "continua registrado depois dos downloads e serve o que esta pasta compartilha, até Ctrl-C",
  // Options several verbs share, one text each (commands/help.ts falls back on them).
  "help.option.code": code,
  "help.option.dir": dir,
  "help.option.discovery-port": discoveryPort,
  "help.option.discovery-via": discoveryVia,
  "help.option.json": json,
  "help.option.manifest": manifest,
  "help.option.name": name,
  "help.option.network": network,
  "help.option.no-discovery": noDiscovery,
  "help.option.tracker": tracker,
  "help.option.verbose": verbose,
};
