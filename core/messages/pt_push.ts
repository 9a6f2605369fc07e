/**
 * Messages of push, collect and hand-in: commands/push.ts, collect.ts, hand_in.ts, _push_view.ts
 * and app/push.ts, push_receiver.ts, collect.ts, hand_in.ts; in Brazilian Portuguese, key for key
 * as `en_push.ts`. Spread into `pt.ts`. See `core/i18n.ts` for the rules and the glossary.
 */
import type { enPush } from "./en_push.ts";
import type { Entry } from "./types.ts";

export const ptPush: Record<keyof typeof enPush, Entry> = {
  // commands/push.ts and commands/_push_view.ts: quem envia
  "push.noOtherPeer": "Não há outro par na rede para receber o envio",
  "push.isSelf": "'{peer}' é este par; escolha outros em 'peers'",
  "push.col.peer": "Par",
  "push.col.address": "Endereço",
  "push.col.state": "Estado",
  "push.col.rate": "Taxa",
  "push.more": "… e mais {count}",
  "push.state.connecting": "conectando",
  "push.state.asked": "perguntado",
  "push.state.accepted": "aceito",
  "push.state.downloading": "baixando {percent}%",
  "push.state.declined": "recusado",
  "push.state.done": "concluído",
  "push.state.doneNote": "concluído ({note})",
  "push.state.failed": "falhou",
  "push.state.withdrawn": "retirado",
  "push.state.unfollowed": "{state} (sem acompanhar)",
  "push.change": "{peer} ({address}): {state}",
  "push.changeNote": "{peer} ({address}): {state}: {note}",
  "push.sum.declined": "Recusaram: {peers}",
  "push.sum.failed": "Falhou: {peer} ({address}): {reason}",
  "push.sum.noReason": "nenhum motivo informado",
  "push.sum.withdrawn": "Oferta retirada de: {peers}",
  "push.sum.unfollowed": "Ainda baixando, sem acompanhar: {peers}",
  "push.summary": {
    one:
      "Você enviou {what} para {count} par: {done} com o conteúdo intacto, {declined} com recusa, {failed} com falha",
    other:
      "Você enviou {what} para {count} pares: {done} com o conteúdo intacto, {declined} com recusa, {failed} com falha",
  },

  // commands/_push_view.ts: quem recebe
  "push.offerFile": "'{name}' ({size})",
  "push.offerFolder": {
    one: "a pasta '{name}' ({count} arquivo, {size})",
    other: "a pasta '{name}' ({count} arquivos, {size})",
  },
  "push.ask": "{peer} oferece {what}. Aceitar? [s/N]",
  "push.acceptedAuto": "Oferta de {peer} aceita (--accept-push): baixando {what}",
  "push.accepted": "Oferta aceita: baixando {what} de {peer}",
  "push.withdrew": "{peer} retirou a oferta de '{name}'",
  "push.already": "{peer} enviou {what}, que já está aqui (mesmo conteúdo); nada a fazer",
  "push.received": "{peer} enviou {what}: tudo recebido e conferido em {duration}",
  "push.failed": "O envio de '{name}' por {peer} falhou: {error}",
  "push.failedSome": {
    one: "O envio de '{name}' por {peer} falhou ({failed} de {count} arquivo): {error}",
    other: "O envio de '{name}' por {peer} falhou ({failed} de {count} arquivos): {error}",
  },
  "push.declined": "Oferta de '{name}' feita por {peer} recusada",
  "push.declinedTimeout": "Sem resposta a tempo à oferta de '{name}' feita por {peer}: recusada",
  "push.declinedPolicy":
    "Oferta de '{name}' feita por {peer} recusada: sem shell, envios só são aceitos com --accept-push",
  "push.declinedLeaving": "Oferta de '{name}' feita por {peer} recusada: saindo da rede",

  // app/push.ts: a oferta, e o que cada destino responde
  "push.noSuchName": "Este par não compartilha arquivo ou pasta chamado '{name}'",
  "push.folderTooBig": "A pasta '{name}' tem {count} arquivos; um envio oferece no máximo {max}",
  "push.closedEarly": "Ele fechou a conexão antes do fim",
  "push.unexpected": "Ele enviou um '{message}' inesperado",
  "push.badStep": "Ele passou de '{from}' para '{to}'",

  // app/push_receiver.ts: recusas e estados enviados a quem envia
  "push.why.timeout": "Sem resposta a tempo",
  "push.why.policy": "Ele só aceita envios quando iniciado com --accept-push",
  "push.why.leaving": "Ele está saindo da rede",
  "push.needIdentity": "Uma oferta exige uma identidade comprovada",
  "push.leaving": "Este par está saindo",
  "push.busyAll": "Este par tem {count} ofertas pendentes; tente de novo mais tarde",
  "push.busySource": "Este par tem {count} ofertas pendentes do seu endereço; tente mais tarde",
  "push.busyYou": "Sua última oferta a este par ainda espera resposta",
  "push.noTracker":
    "Este par não consegue perguntar ao rastreador quem é você; tente de novo mais tarde",
  "push.notListed": "O rastreador não lista você: envio recusado",
  "push.outside": "Uma oferta de '{name}' tem arquivos fora dela",
  "push.twice": "Uma oferta de '{name}' cita um arquivo duas vezes",
  "push.tooLarge": "Uma oferta de '{name}' é grande demais",
  "push.hadIt": "Já o tinha",
  "push.fail.noSpace": "espaço livre em disco insuficiente",
  "push.fail.cancelled": "cancelado: o par está saindo",
  "push.fail.notFound": "nenhuma fonte o compartilha mais",
  "push.fail.hash": "uma fonte enviou dados que não passaram na conferência",
  "push.fail.badPeer": "uma fonte violou o protocolo",
  "push.fail.identity": "uma fonte não era o par esperado",
  "push.fail.badName": "um nome inseguro aqui",
  "push.fail.busy": "todas as fontes estavam ocupadas",
  "push.fail.unreachable": "nenhuma fonte pôde ser alcançada",
  "push.fail.closed": "todas as fontes saíram",
  "push.fail.timeout": "todas as fontes pararam de responder",
  "push.fail.other": "o download falhou",
  "push.fail.some": {
    one: "{failed} de {count} arquivo falhou: {why}",
    other: "{failed} de {count} arquivos falharam: {why}",
  },

  // commands/collect.ts: a visão do coletor
  "collect.closeArgs": "Indique a caixa a fechar só depois de --close",
  "collect.closed": {
    one:
      "Caixa '{box}' fechada: chegou {count} arquivo de {senders}; 'collect {box}' a abre de novo",
    other:
      "Caixa '{box}' fechada: chegaram {count} arquivos de {senders}; 'collect {box}' a abre de novo",
  },
  "collect.senders": { one: "{count} remetente", other: "{count} remetentes" },
  "collect.handIns": { one: "{count} entrega", other: "{count} entregas" },
  "collect.noBox": "Nenhuma caixa ainda; 'collect BOX' abre uma",
  "collect.opened":
    "Caixa '{box}' aberta em {address}: as entregas vão para {folder}/<remetente>/ e não são compartilhadas; 'collect {box}' as mostra, 'collect --close {box}' fecha a caixa",
  "collect.col.sender": "Remetente",
  "collect.col.file": "Arquivo",
  "collect.col.size": "Tamanho",
  "collect.col.root": "Raiz",
  "collect.col.time": "Hora (UTC)",
  "collect.allIn": "Todos os pares presentes já entregaram algo",
  "collect.missing": "Ainda não entregaram ({count}): {peers}",
  "collect.missingUnknown": "Não se sabe quem ainda não entregou: {error}",
  "collect.open": "aberta",
  "collect.shut": "fechada",
  "collect.summary": {
    one: "Caixa '{box}' ({state}): {count} arquivo de {senders}",
    other: "Caixa '{box}' ({state}): {count} arquivos de {senders}",
  },
  "collect.summaryActive": {
    one: "Caixa '{box}' ({state}): {count} arquivo de {senders}, {handIns} em andamento",
    other: "Caixa '{box}' ({state}): {count} arquivos de {senders}, {handIns} em andamento",
  },

  // app/collect.ts: as caixas, e o que o remetente ouve
  "box.cannotOpen": "Não é possível abrir a caixa '{box}': {problem}",
  "box.notOpened": "Nenhuma caixa chamada '{box}' foi aberta aqui",
  "box.noManifest":
    "este par compartilha todos os arquivos da sua pasta (não tem manifesto), então as entregas seriam compartilhadas com todos; entre com um manifesto (--manifest FILE) para coletar",
  "box.covered":
    "o manifesto compartilha '{name}', que contém a pasta da caixa, então as entregas seriam compartilhadas com todos",
  "box.inTheWay": "'{path}' está no caminho e não é uma pasta",
  "box.none": "Não há caixa chamada '{box}' neste par",
  "box.isClosed": "A caixa '{box}' está fechada",
  "box.twice": "Um arquivo aparece duas vezes nesta entrega",
  "box.tooBig": "Uma entrega comporta no máximo {max} bytes",
  "box.full": "A caixa '{box}' está cheia ({max} arquivos)",
  "box.self": "Um par não entrega a si mesmo",
  "box.closedLog": "Caixa '{box}' fechada: {problem}",
  "box.busyAll": "O coletor aceita {max} entregas ao mesmo tempo; tente de novo em instantes",
  "box.busySender": "Você já tem {max} entregas em andamento aqui; tente de novo em instantes",
  "box.busySource":
    "Seu endereço já tem {max} entregas em andamento aqui; tente de novo em instantes",
  "box.noTracker": "O coletor não consegue falar com o rastreador para identificar você",
  "box.notListed": "O rastreador não lista você; entre na rede e depois entregue",
  "box.notReceived": "Caixa '{box}': '{name}' de {sender} não recebido: {error}",
  "box.senderLeft": "o remetente saiu antes",
  "box.in": {
    one: "Caixa '{box}': '{name}' de {sender} chegou ({count} byte, guardado como {stored})",
    other: "Caixa '{box}': '{name}' de {sender} chegou ({count} bytes, guardado como {stored})",
  },
  "box.noReceipt":
    "Caixa '{box}': '{name}' de {sender}: o recibo não pôde ser enviado (o remetente saiu)",
  "box.changed": "'{name}' mudou desde que foi entregue",
  "box.late": "Não recebido no tempo que uma entrega pode levar",
  "box.diskFull": "O disco do coletor está cheio",
  "box.cannotFetch": "Não foi possível buscá-lo de você: {error}",
  "box.cannotStore": "O coletor não conseguiu guardá-lo",

  // commands/hand_in.ts e app/hand_in.ts: o remetente
  "handIn.notShared":
    "'{name}' não é um arquivo que este par compartilha; só arquivos compartilhados podem ser entregues",
  "handIn.tooMany": "São {count} arquivos; entregue no máximo {max} de uma vez",
  "handIn.isSelf": "Esse par é este; entregue a outro",
  "handIn.busy": "{peer} está ocupado ({error}); nova tentativa em {duration}",
  "handIn.notReceived": "'{name}' não recebido: {error}",
  "handIn.done":
    "'{name}' entregue ({size}, raiz {root}) na caixa '{box}' de {collector}; recibo {path}",
  "handIn.summary": {
    one: "{received} de {count} arquivo entregue na caixa '{box}' em {peer}",
    other: "{received} de {count} arquivos entregues na caixa '{box}' em {peer}",
  },
  "handIn.cancelled": "Entrega na caixa '{box}' cancelada",
  "handIn.closedEarly": {
    one: "{peer} fechou a conexão antes de responder por {count} arquivo",
    other: "{peer} fechou a conexão antes de responder por {count} arquivos",
  },
  "handIn.unexpected": "{peer} enviou um '{message}' inesperado",
  "handIn.notHandedIn": "{peer} respondeu por '{name}', que não foi entregue",
  "handIn.receiptInvalid": "O recibo de '{name}' não é válido: {problem}",
  "handIn.receiptSigner": "O recibo de '{name}' foi assinado por outra identidade que não a do par",
  "handIn.receiptSender": "O recibo de '{name}' cita outro remetente",
  "handIn.receiptBox": "O recibo de '{name}' cita outra caixa",
  "handIn.receiptContent": "O recibo de '{name}' cita outro conteúdo",
};
