/**
 * Every message of the program in Brazilian Portuguese: the keys of `en.ts`, each with the same
 * meaning and the same placeholders (a key missing or extra is a type error; the placeholders
 * are checked by `tests/i18n_test.ts`). See `core/i18n.ts` for the rules and the glossary.
 */
import type { en } from "./en.ts";
import { ptHelp } from "./pt_help.ts";
import { ptNet } from "./pt_net.ts";
import { ptPush } from "./pt_push.ts";
import { ptShell } from "./pt_shell.ts";
import { ptStorage } from "./pt_storage.ts";
import { ptDiscover } from "./pt_discover.ts";
import { ptOneshot } from "./pt_oneshot.ts";
import { ptDoctor } from "./pt_doctor.ts";
import { ptSetup } from "./pt_setup.ts";
import type { Entry } from "./types.ts";

export const pt: Record<keyof typeof en, Entry> = {
  ...ptHelp,
  ...ptShell,
  ...ptPush,
  ...ptNet,
  ...ptStorage,
  ...ptDiscover,
  ...ptOneshot,
  ...ptDoctor,
  ...ptSetup,

  // main.ts: the command line
  "cli.error": "erro: {message}",
  "cli.errorWithUsage": "erro: {message} (uso: {usage}; veja 'help {verb}')",
  "cli.unknownVerb": "verbo desconhecido '{verb}' (verbos: {verbs}; veja 'rede-p2p help')",
  "cli.langMissing": "--lang precisa de um valor: en ou pt",
  "cli.langUnknown": "--lang aceita en ou pt, não '{value}'",

  // commands/_shell.ts: the prompt
  "shell.needSession": "Este verbo funciona no prompt do 'join'",
  "shell.cannotParse": "Não foi possível ler essa linha (confira as aspas)",
  "shell.unknownVerb": "Verbo desconhecido '{verb}'; digite 'ajuda' para ver a lista",
  "shell.leaveHint": "(Para sair, digite 'sair' ou aperte Ctrl-D)",

  // commands/_command.ts: arguments and options
  "usage.options": "[opções]",
  "usage.missingArg": "Falta o argumento <{name}>",
  "usage.extraArg": "Argumento inesperado '{arg}'",
  "usage.extraArgQuote": "Argumento inesperado '{arg}' (use aspas em nomes com espaços)",
  "usage.unknownOption": "Opção desconhecida '{option}'",
  "usage.optionNeedsValue": "A opção '{option}' precisa de um valor",
  "usage.optionTakesNoValue": "A opção '{option}' não aceita valor",

  // commands/help.ts: the help pages
  "helpPage.cliHead": "Uso: rede-p2p <verbo> [argumentos] [opções]\n\nVerbos:",
  "helpPage.cliTail":
    "\nUse 'rede-p2p help <verbo>' ou 'rede-p2p <verbo> --help' para ver os detalhes.\n" +
    "Todo verbo aceita --lang pt ou --lang en para escolher o idioma.",
  "helpPage.shellHead": "Verbos:",
  "helpPage.shellTail": "\nDigite 'ajuda <verbo>' para ver os detalhes.",
  "helpPage.aliases": "{summary} (também: {aliases})",
  "helpPage.usage": "Uso: {usage}",
  "helpPage.also": "Também: {aliases}",
  "helpPage.arguments": "Argumentos:",
  "helpPage.options": "Opções:",
  "helpPage.default": "{description} (padrão: {value})",
  "helpPage.examples": "Exemplos:",
  "helpPage.unknownVerb": "Verbo desconhecido '{verb}'; tente 'ajuda'",

  // commands/serve.ts: the tracker
  "serve.badPort": "Porta inválida '{port}'",
  "serve.listening": "rastreador rede-p2p escutando em {address}",
  "serve.trackerId": "ID do rastreador: {id}",
  "serve.open":
    "Rede aberta: qualquer um na rede local pode entrar (as conexões continuam criptografadas)",
  "serve.joinCode": "Código de acesso: {code}",
  "serve.joinCodeKept":
    "Código de acesso: {code} (mantido da última execução; --new-code para sortear outro)",
  "serve.joinWith": "Os pares entram com: rede-p2p join {address}",
  "serve.stopped": "rastreador parado",
  "serve.codeAndOpen": "--code e --open não podem ser usados juntos",
  "serve.codeLength":
    "Um código de acesso precisa de {min} a {max} letras ou dígitos (espaços e hífens não contam)",
  "serve.log.join": {
    one: 'entrou {key} "{name}" ({count} arquivo)',
    other: 'entrou {key} "{name}" ({count} arquivos)',
  },
  "serve.log.leave": 'saiu   {key} "{name}" ({reason})',
  "serve.log.refused": "recusado {client}: {reason}",
  "serve.log.error": "cliente {client}: {error}",
  "serve.reason.quit": "encerrou",
  "serve.reason.lost": "conexão perdida",
  "serve.reason.heartbeats": "parou de dar sinal de vida",
  "serve.reason.reRegistered": "registrou-se de novo",
  "serve.fold.join": { one: "{count} entrada", other: "{count} entradas" },
  "serve.fold.leave": { one: "{count} saída", other: "{count} saídas" },
  "serve.fold.refused": { one: "{count} recusa", other: "{count} recusas" },
  "serve.fold.error": { one: "{count} erro de cliente", other: "{count} erros de cliente" },
  "uploads.fold.started": {
    one: "mais {count} upload começou",
    other: "mais {count} uploads começaram",
  },
  "serve.fold.summary":
    "… resumo: {list} (acima de {perSecond} linhas por segundo, os eventos não são mostrados " +
    "um a um)",

  // commands/id.ts
  "id.notRemembered": "Nenhum ID de rastreador está guardado para {address}",
  "id.forgot": "O ID do rastreador em {address} foi esquecido; a próxima entrada guarda o novo",
  "id.peer": "ID do par ({dir}): {id}",
  "id.tracker": "ID do rastreador: {id}",
  "id.home": "As identidades ficam em {dir}",

  // commands/receipts.ts and commands/verify_receipt.ts
  "receipts.col.time": "Data e hora (UTC)",
  "receipts.col.collector": "Coletor",
  "receipts.col.box": "Caixa",
  "receipts.col.file": "Arquivo",
  "receipts.col.size": "Tamanho",
  "receipts.col.root": "Raiz",
  "receipts.col.check": "Conferência",
  "receipts.col.receipt": "Recibo",
  "receipts.notReceipt": "não é um recibo",
  "receipts.valid": "válido",
  "receipts.invalid": "INVÁLIDO",
  "receipts.summary": {
    one: "{count} recibo em {dir}; 'rede-p2p verify-receipt FILE' confere um",
    other: "{count} recibos em {dir}; 'rede-p2p verify-receipt FILE' confere um",
  },
  "receipts.summaryOlder": {
    one: "{shown} de {count} recibo em {dir} (os mais antigos não aparecem); " +
      "'rede-p2p verify-receipt FILE' confere um",
    other: "{shown} de {count} recibos em {dir} (os mais antigos não aparecem); " +
      "'rede-p2p verify-receipt FILE' confere um",
  },
  "verifyReceipt.notValid": "O recibo '{file}' não é válido: {problem}",
  "verifyReceipt.otherCollector":
    "O recibo '{file}' foi assinado pelo coletor {collector}, não por {expected}",
  "verifyReceipt.badCollector": "ID de coletor inválido '{id}': informe-o como 'rede-p2p id' " +
    "o mostra, ou seus três primeiros grupos ou mais",
  "verifyReceipt.box": "Caixa:      {box}",
  "verifyReceipt.file": "Arquivo:    {name}",
  "verifyReceipt.size": {
    one: "Tamanho:    {size} ({count} byte)",
    other: "Tamanho:    {size} ({count} bytes)",
  },
  "verifyReceipt.root": "Raiz:       {root}",
  "verifyReceipt.sender": "Remetente:  {name} (ID {id})",
  "verifyReceipt.collector": "Coletor:    {id}",
  "verifyReceipt.received": "Recebido:   {time}",

  // core/rate.ts: transfer rates
  "rate.units": "bytes: B, KB, MB, GB (= KiB, MiB, GiB); bits: kbit, Mbit, Gbit " +
    "(= kbps, Mbps, Gbps, potências de 1000)",
  "rate.notRate": "'{text}' não é uma taxa (tente 500KB, 2MB ou 10Mbit)",
  "rate.ambiguous": "'{text}' é ambíguo: diga {bytes} (bytes) ou {bits} (bits)",
  "rate.unknownUnit": "'{text}' tem uma unidade desconhecida '{unit}' ({units})",
  "rate.tooSmall": "'{text}' é menos de um byte por segundo",
  "rate.tooLarge": "'{text}' é grande demais",

  // core/errors.ts: system errors
  "error.connectionRefused": "Conexão recusada",
  "error.addressInUse": "Endereço já em uso",
};
