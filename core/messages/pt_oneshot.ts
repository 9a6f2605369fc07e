/**
 * Messages of the one-shot verbs of the command line and their JSON output; in Brazilian
 * Portuguese, key for key as `en_oneshot.ts`. Spread into `pt.ts`. See `core/i18n.ts` for the
 * rules and the glossary.
 */
import type { enOneshot } from "./en_oneshot.ts";
import type { Entry } from "./types.ts";

const tracker = "o rastreador: HOST ou HOST:PORT (porta 9450 se não dada)";
const code = "o código de acesso da rede (perguntado num terminal quando preciso)";
const json = "imprime o resultado como um documento JSON (veja docs/JSON.md)";
const verbose = "detalhes dos erros";
const dir = "pasta compartilhada pela qual a execução age (tem de existir, salvo a padrão)";
const manifest = "lista dos arquivos compartilhados, um 'NOME CAMINHO' por linha";
const name = "seu nome na rede enquanto a execução estiver listada (padrão: nome da máquina)";

export const ptOneshot: Record<keyof typeof enOneshot, Entry> = {
  "oneshot.noTracker": "Nenhum rastreador dado: indique-o com --tracker HOST[:PORT]",
  "oneshot.seeding":
    'Semeando como "{name}" em {address}: o que este par compartilha é servido até Ctrl-C ou SIGTERM',
  "oneshot.helpCli":
    "Na linha de comando, '{verb}' se conecta ao rastreador dado com --tracker, faz seu\n" +
    "trabalho como no prompt, imprime as mesmas linhas e sai: status de saída 0 em caso de\n" +
    "sucesso, 1 numa falha, 2 num erro de uso. Com --json o resultado é um documento JSON.",
  "oneshot.helpShellOnly": "'{verb}' é um verbo do prompt de 'rede-p2p join'.",
  "oneshot.helpCliOnly": "'{verb}' é um verbo da linha de comando: 'rede-p2p {verb}'.",
  "help.peers.opt.tracker": tracker,
  "help.peers.opt.code": code,
  "help.peers.opt.json": json,
  "help.peers.opt.verbose": verbose,
  "help.ls.opt.tracker": tracker,
  "help.ls.opt.code": code,
  "help.ls.opt.json": json,
  "help.ls.opt.verbose": verbose,
  "help.find.opt.tracker": tracker,
  "help.find.opt.code": code,
  "help.find.opt.json": json,
  "help.find.opt.verbose": verbose,
  "help.get.opt.tracker": tracker,
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
  "help.push.opt.code": code,
  "help.push.opt.json": json,
  "help.push.opt.verbose": verbose,
  "help.push.opt.dir": dir,
  "help.push.opt.manifest": manifest,
  "help.push.opt.name": name,
  "help.hand-in.opt.tracker": tracker,
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
