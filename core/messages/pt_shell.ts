/**
 * Messages of the shell's browsing and download verbs: peers, ls, find, get (and its progress rows
 * and result lines), downloads, uploads, quit; app/fetch.ts, app/swarm.ts, app/node.ts,
 * app/suggest.ts, app/uploads.ts; in Brazilian Portuguese, key for key as `en_shell.ts`. Spread
 * into `pt.ts`. See `core/i18n.ts` for the rules and the glossary.
 */
import type { enShell } from "./en_shell.ts";
import type { Entry } from "./types.ts";

export const ptShell: Record<keyof typeof enShell, Entry> = {
  // Table headers (find, ls, peers, downloads, uploads).
  "table.name": "Nome",
  "table.size": "Tamanho",
  "table.root": "Raiz",
  "table.peers": "Pares",
  "table.port": "Porta",
  "table.files": "Arquivos",
  "table.status": "Situação",
  "table.progress": "Progresso",
  "table.rate": "Taxa",
  "table.sources": "Fontes",
  "table.peer": "Par",
  "table.address": "Endereço",
  "table.file": "Arquivo",
  "table.sent": "Enviado",
  "table.since": "Desde",

  // commands/peers.ts
  "peers.summary": {
    one: "{count} par conectado; * marca você",
    other: "{count} pares conectados; * marca você",
  },
  "peers.summaryFirst": {
    one: "{count} par conectado, mostrados os {shown} primeiros por endereço; * marca você",
    other: "{count} pares conectados, mostrados os {shown} primeiros por endereço; * marca você",
  },

  // commands/ls.ts
  "peers.summaryUnmarked": {
    one: "{count} par conectado",
    other: "{count} pares conectados",
  },
  "peers.summaryFirstUnmarked": {
    one: "{count} par conectado, mostrados os {shown} primeiros por endereço",
    other: "{count} pares conectados, mostrados os {shown} primeiros por endereço",
  },

  "ls.badPort": "Porta inválida '{port}'",
  "ls.summary": {
    one: "{count} arquivo, {size} em {peer}",
    other: "{count} arquivos, {size} em {peer}",
  },

  // commands/find.ts
  "find.summary": {
    one: "{count} arquivo com '{text}' no nome; 'get #N' o baixa",
    other: "{count} arquivos com '{text}' no nome; 'get #N' baixa um deles",
  },

  // commands/get.ts
  "get.fromEmpty": "--from precisa de um par",
  "get.noFindYet":
    "'{word}' indica uma linha do 'find', e nenhum 'find' rodou ainda (um arquivo chamado '{word}' se escreve './{word}')",
  "get.noRow": "Não há linha {word}: o último 'find' listou {found}",
  "get.isSelf": "Esse par é este aqui; escolha outro em 'peers'",
  "get.notFoundAt": "Nenhum arquivo ou pasta chamado '{name}' em {peer}",
  "get.notFoundOnNetwork": "Nenhum arquivo ou pasta chamado '{name}' na rede",
  "get.notFoundTryFrom":
    "Nenhum arquivo ou pasta chamado '{name}' na rede (para baixar de um par, digite 'get --from {name} FILE')",
  "get.several":
    "Há vários arquivos diferentes chamados '{name}'; use 'find {name}' e baixe um pelo seu #",

  // commands/_fetch_view.ts: what a download prints
  "fetch.skipped": "'{name}' já está aqui como '{here}' (mesmo conteúdo); nada a fazer",
  "fetch.downloading": {
    one: "Baixando '{name}' ({size}) de {count} fonte",
    other: "Baixando '{name}' ({size}) de {count} fontes",
  },
  "fetch.adopted": "'{name}' já estava aqui, completo (raiz {root} conferida); agora compartilhado",
  "fetch.renamed": "Já existe aqui um arquivo chamado '{name}'; salvo como '{saved}'",
  "fetch.saved": "Salvo '{name}' ({size}) de {from} em {time} ({rate}); raiz {root} conferida",
  "fetch.savedResumed":
    "Salvo '{name}' ({size}) de {from} em {time} ({rate}); raiz {root} conferida; {resumed} retomados",
  "fetch.sourceCount": { one: "{count} fonte", other: "{count} fontes" },
  "fetch.sources": "  fontes: {list}",
  "fetch.checkingPartial": {
    one: "Conferindo o {count} bloco do download parcial de '{name}'",
    other: "Conferindo os {count} blocos do download parcial de '{name}'",
  },
  "fetch.checkingHere": {
    one: "Conferindo '{name}', que já está aqui com esse nome ({count} bloco)",
    other: "Conferindo '{name}', que já está aqui com esse nome ({count} blocos)",
  },
  "fetch.resuming": {
    one: "Retomando '{name}': {have} de {count} bloco já está aqui",
    other: "Retomando '{name}': {have} de {count} blocos já estão aqui",
  },
  "fetch.discarding": "Descartando um download parcial antigo de outro conteúdo",
  "fetch.dropped": "Fonte {source} descartada: {error}",
  "fetch.busy": "Fonte ocupada ({error}); pedindo de novo em {seconds} s",
  "fetch.queued": "  na fila de {source}: posição {position}",
  "fetch.chunk": "  bloco {index} recebido ({done} de {total}) de {source}",

  // app/fetch.ts: the download engine
  "fetch.nobodyElse": "Ninguém mais compartilha '{name}'",
  "fetch.cancelledBeforeStart": "Download de '{name}' cancelado antes de começar",
  "fetch.noDescriptor": {
    one: "O {count} par consultado que tem '{name}' não deu o descritor: {error}",
    other: "Nenhum dos {count} pares consultados que têm '{name}' deu o descritor: {error}",
  },
  "fetch.note.alreadyHere": "já está aqui como '{here}'",
  "fetch.note.adopted": "já estava aqui, completo: adotado",
  "fetch.note.savedAs": "salvo como '{name}'",

  // commands/_progress.ts: a progress row's numbers, full and compact
  "progress.row": {
    one: "{pct} | {of} | {rate} | falta {left} | {count} fonte",
    other: "{pct} | {of} | {rate} | falta {left} | {count} fontes",
  },
  "progress.rowCompact": {
    one: "{pct} {of} {rate} falta {left} {count} fonte",
    other: "{pct} {of} {rate} falta {left} {count} fontes",
  },
  "progress.checking": "{pct} | conferindo {of}",
  "progress.checkingCompact": "{pct} conferindo",

  // commands/downloads.ts
  "downloads.status.queued": "na fila",
  "downloads.status.active": "ativo",
  "downloads.status.done": "concluído",
  "downloads.status.failed": "falhou",
  "downloads.status.cancelled": "cancelado",
  "downloads.status.skipped": "pulado",
  "downloads.summary": {
    one: "{count} download: {active} em andamento, {queued} na fila",
    other: "{count} downloads: {active} em andamento, {queued} na fila",
  },

  // commands/uploads.ts
  "uploads.none": "Nenhum upload agora: ninguém está baixando de você.",
  "uploads.sentOf": "{sent} de {size}",
  "uploads.summary": {
    one: "{count} upload para {peers}",
    other: "{count} uploads para {peers}",
  },
  "uploads.peerCount": { one: "{count} par", other: "{count} pares" },
  "uploads.started": "{peer} começou a baixar '{file}' de você",
  "uploads.startedSize": "{peer} começou a baixar '{file}' ({size}) de você",

  // commands/quit.ts
  "quit.notLeaving": "Você continua na rede: os uploads seguem.",
  "quit.question": {
    one: "{count} upload em andamento (para {to}); sair mesmo assim? [s/N]",
    other: "{count} uploads em andamento (para {to}); sair mesmo assim? [s/N]",
  },
  "quit.morePeers": "{named} e mais {more}",

  // app/node.ts
  "node.filesChanged": {
    one: "Os arquivos compartilhados mudaram: {count} arquivo compartilhado agora",
    other: "Os arquivos compartilhados mudaram: {count} arquivos compartilhados agora",
  },

  // app/swarm.ts: serving chunks of downloads under way
  "swarm.noChunk": "Não há bloco {index} em {name}",
  "swarm.notYet": "O bloco {index} de {name} ainda não está aqui",
  "swarm.notOpen": "{name} ainda não está aberto",
  "swarm.notHere": "O bloco {index} de {name} não está aqui",
  "swarm.changed": "o bloco {index} do download parcial {name} não confere mais; não será enviado",
};
