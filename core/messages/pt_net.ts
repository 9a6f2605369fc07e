/**
 * Messages of joining and the connections: commands/join.ts, _session.ts, _shell.ts and the errors
 * of net/; in Brazilian Portuguese, key for key as `en_net.ts`. Spread into `pt.ts`. See
 * `core/i18n.ts` for the rules and the glossary.
 */
import type { enNet } from "./en_net.ts";
import type { Entry } from "./types.ts";

export const ptNet: Record<keyof typeof enNet, Entry> = {
  // commands/join.ts: starting, the start lines, leaving
  "join.badPort": "Porta inválida '{port}'",
  "join.badRate": "Taxa inválida: {problem}",
  "join.badName": "Nome inválido '{name}': {problem}",
  "join.manifestWarning": "aviso: {manifest}: {problem}",
  "join.sharingListed": {
    one: "Compartilhando {count} arquivo listado em {manifest}",
    other: "Compartilhando {count} arquivos listados em {manifest}",
  },
  "join.sharingAll": {
    one:
      "Nenhum manifesto em {manifest}: compartilhando todos os arquivos de {dir} ({count} arquivo)",
    other:
      "Nenhum manifesto em {manifest}: compartilhando todos os arquivos de {dir} ({count} arquivos)",
  },
  "join.serving": 'Servindo os pares em {address} como "{name}"',
  "join.untilSignal": "Compartilhando até Ctrl-C (SIGINT) ou SIGTERM.",
  "join.typeHelp": "Digite 'ajuda' para ver os verbos e, para sair, 'sair' ou Ctrl-D.",
  "join.bye": "Você saiu do rastreador. Até logo.",
  "join.leaveWarning": "aviso: ao sair: {message}",
  "join.codeNeeded":
    "A rede em {address} é privada: informe o código de acesso com --code CODE (quem roda o rastreador tem o código)",
  "join.codeQuestion": "Código de acesso para {address}: ",
  "join.noFolder":
    "A pasta '{dir}' não existe (--dir): crie-a antes, ou omita --dir para compartilhar {standard}",
  "join.notFolder": "'{dir}' não é uma pasta (--dir indica a pasta a compartilhar)",

  // commands/_session.ts: naming a peer
  "session.noRow": {
    one: "Não há par #{row}: 'peers' lista {count} par",
    other: "Não há par #{row}: 'peers' lista {count} pares",
  },
  "session.twoPorts": "Duas portas informadas: '{text}' e '{port}'",
  "session.noPeerNamed": "Nenhum par chamado '{name}' está na rede; veja 'peers'",
  "session.noPeerAt": "Nenhum par em {host} está registrado no rastreador; veja 'peers'",
  "session.severalAt":
    "Vários pares em {host}: {list}; indique um pelo nome, como IP:PORTA ou pelo seu # em 'peers'",
  "session.severalNamed":
    "Vários pares se chamam '{name}': {list}; indique um como IP:PORTA ou pelo seu # em 'peers'",

  // net/tracker_client.ts: the peer's registration with its tracker
  "net.registered": 'Registrado no rastreador {tracker} como {address}, com o nome "{name}"',
  "net.registeredRenamed":
    'Registrado no rastreador {tracker} como {address}, com o nome "{name}" ("{asked}" já está em uso)',
  "net.registeredAgain":
    'O rastreador {tracker} voltou; registrado de novo como {address}, com o nome "{name}"',
  "net.registeredAgainRenamed":
    'O rastreador {tracker} voltou; registrado de novo como {address}, com o nome "{name}" ("{asked}" já está em uso)',
  "tracker.lostRetrying":
    "Conexão com o rastreador em {address} perdida; tentando de novo em segundo plano",
  "tracker.noLongerRetrying": "{message}; sem novas tentativas",
  "tracker.retrying": "{message}; tentando de novo em segundo plano",
  "tracker.unreachable":
    "O rastreador em {address} está inacessível (tentando de novo em segundo plano)",
  "tracker.reachBusy":
    "O rastreador está conferindo outras conexões de volta; tente de novo em um segundo",
  "tracker.lost": "Conexão com o rastreador em {address} perdida",
  "tracker.findTooLong": "Texto de busca longo demais ({length} caracteres; no máximo {max})",
  "tracker.newIdentity":
    "O rastreador em {address} tem uma nova identidade (ID {id}; era {old} quando você entrou antes). Se isso é esperado, esqueça a antiga com 'rede-p2p id --forget {address}' e entre de novo",
  "tracker.noSid": "O rastreador não enviou o sid do PAKE",
  "tracker.wrongCodeAt": "Código de acesso errado para a rede em {address}",
  "tracker.trimmed": {
    one:
      "Compartilhando {count} arquivo; o rastreador lista só os primeiros {listed} (no máximo {max} arquivos em {bytes} bytes)",
    other:
      "Compartilhando {count} arquivos; o rastreador lista só os primeiros {listed} (no máximo {max} arquivos em {bytes} bytes)",
  },

  // net/tracker.ts, tracker_state.ts, tracker_gate.ts: what a tracker answers
  "tracker.noSuchPeer": "Nenhum par com esse ID está aqui",
  "tracker.tooManyConnections":
    "Conexões demais de {ip} (no máximo {max}); tente de novo mais tarde",
  "tracker.unexpected": "Mensagem inesperada '{type}' para um rastreador",
  "tracker.tooManyFiles":
    "Arquivos demais listados ({listed}; um rastreador lista no máximo {max} por par)",
  "tracker.full": "O rastreador está cheio ({max} pares); tente de novo mais tarde",
  "tracker.fullFromIp":
    "O rastreador já lista {max} pares de {ip}, o máximo por endereço; tente de novo mais tarde",
  "tracker.fullBytes":
    "O rastreador está cheio (suas listas de arquivos ocupam {bytes} bytes); tente de novo mais tarde",
  "tracker.fullBytesFromIp":
    "O rastreador guarda demais de {ip} (listas de arquivos acima de {bytes} bytes de um só endereço); compartilhe menos arquivos",
  "tracker.codeWait":
    "Códigos de acesso errados demais do seu endereço; tente de novo em {seconds} s",
  "tracker.wrongCode": "Código de acesso errado",

  // net/peer_client.ts, peer_server.ts, upload_gate.ts, peer_tls.ts: between peers
  "peer.notAdmitted":
    "Ainda não admitido em uma rede: os pares só atendem membros (o rastreador está acessível?)",
  "peer.notMember": "O par em {address} não é membro desta rede",
  "peer.badDescriptorName": "{peer} enviou um descritor inválido: outro nome",
  "peer.badDescriptorContent": "{peer} enviou um descritor inválido: outro conteúdo",
  "peer.otherHaveMap": "{peer} enviou outro mapa de blocos",
  "peer.closedConnection": "{peer} fechou a conexão",
  "peer.badQueuePlace": "{peer} enviou uma posição impossível na fila",
  "peer.unexpectedReply": "{peer} enviou um '{type}' inesperado",
  "peer.unexpectedChunk": "{peer} enviou um bloco inesperado",
  "peer.busy": "{peer} está ocupado: {message}",
  "peer.describeNeeds": "Um describe precisa de um nome ou de uma raiz",
  "peer.noHaveMaps": "Não há mapas de blocos aqui",
  "peer.answersAlready": "O servidor do par já responde a '{type}'",
  "peer.notOurMember": "Não é membro da rede deste par",
  "peer.idle": "Nenhum pedido respondido por tempo demais; fechando",
  "peer.unexpected": "Mensagem inesperada '{type}' para um par",
  "peer.refusedInARow": {
    one: "{count} pedido recusado em seguida; fechando",
    other: "{count} pedidos recusados em seguida; fechando",
  },
  "peer.slotsBusy": "Todas as vagas de envio estão ocupadas; tente de novo mais tarde",
  "peer.certNotPeers": "O rastreador deu um certificado que não é o do par",
  "peer.log.failed": "pedido de {address} falhou: {message}",
  "peer.log.refused": "pedido de {address} recusado: {message}",
  "peer.log.evicted": "{address} fechado, o mais tempo ocioso, para dar lugar a um novo",
  "peer.log.hungUp": "{address} desligou enquanto esperava na fila; seu lugar foi liberado",
  "peer.log.cutOff": "{address} cortado: não lê o que pediu",

  // net/channel.ts, transport.ts, secure.ts: connections
  "net.closed": "Conexão fechada",
  "net.closedByOther": "Conexão fechada pelo outro lado",
  "net.stoppedAnswering": "O outro lado parou de responder",
  "net.lost": "Conexão perdida: {detail}",
  "net.expected": "Esperava '{expected}', mas veio '{got}'",
  "net.badReply": "{peer} enviou um '{type}' inválido: {detail}",
  "net.badMessage": "{peer} enviou uma mensagem inválida: {detail}",
  "net.unexpectedFrom": "'{type}' inesperado de {peer}",
  "net.notRede": "Não é um ponto rede-p2p (ele diz '{app}')",
  "net.version": "A versão {theirs} do protocolo não é suportada (esta é a versão {ours})",
  "net.role": "Papel esperado: {expected}; recebido: {role}",
  "net.notNeeded": "Não é mais necessário",
  "net.closing": "Este lado está fechando",
  "net.certRequired": "É preciso um certificado: o rede-p2p identifica os dois lados",
  "net.busyFromYou": "Conexões demais do seu endereço; tente de novo mais tarde",
  "net.busy": "Conexões demais; tente de novo mais tarde",
  "net.listen.inUse": "A porta {port} já está em uso ({address})",
  "net.listen.noAddress": "Não é possível escutar em {address}: endereço local inexistente",
  "net.listen.denied": "Sem permissão para escutar em {address}",
  "net.listen.other": "Não é possível escutar em {address}: {detail}",
  "net.reach.peer": "Não foi possível alcançar o par em {address}: {reason}",
  "net.reach.tracker": "Não foi possível alcançar o rastreador em {address}: {reason}",
  "net.reason.noAnswer": "sem resposta",
  "net.reason.refused": "conexão recusada",
  "net.reason.reset": "conexão reiniciada",
  "net.reason.unknownHost": "host desconhecido",
  "net.reason.noTls": "sem handshake TLS (um rede-p2p mais antigo, ou não é rede-p2p: {detail})",
  "net.hidesId.peer": "O par em {address} não é o esperado: ele não mostra o ID {id}",
  "net.hidesId.tracker": "O rastreador em {address} não é o esperado: ele não mostra o ID {id}",
  "net.otherId.peer": "O par em {address} não é o esperado: seu ID é {id}, não {expected}",
  "net.otherId.tracker":
    "O rastreador em {address} não é o esperado: seu ID é {id}, não {expected}",
  "net.tls.flood": "o outro lado enviou mais de {bytes} bytes não pedidos",
  "net.tls.closedInHandshake": "fechada durante o handshake TLS",
  "net.tls.noCert": "o servidor não mostrou certificado",
  "net.tls.timeout": "sem handshake TLS a tempo",
  "net.tls.lostBefore": "conexão perdida antes do TLS",
  "net.tls.closedBefore": "conexão fechada antes do TLS",
  "net.tls.plaintext": "um cliente sem criptografia (mais antigo) foi recusado",
  "net.tls.notTls": "não é TLS",
  "net.tls.failed": "o handshake TLS falhou",
  "net.badHost": "Host inválido '{text}'",
  "net.badPortIn": "Porta inválida '{port}' em '{text}'",

  // net/framing.ts, protocol.ts: frames and messages
  "net.frame.tooLargeOut":
    "Não é possível codificar o quadro: o tamanho '{length}' passa do limite de '{max}' bytes",
  "net.frame.tooLarge":
    "Não é possível decodificar o quadro: o tamanho '{length}' passa do limite de '{max}' bytes",
  "net.frame.endedInHeader":
    "Não é possível decodificar o quadro: o fluxo terminou no meio de um cabeçalho",
  "net.frame.endedInPayload":
    "Não é possível decodificar o quadro: o fluxo terminou no meio de um conteúdo",
  "net.frame.magic": "Não é possível decodificar o quadro: bytes mágicos errados",
  "net.message.tooLarge": "Não é possível decodificar a mensagem: conteúdo grande demais",
  "net.message.dense":
    "Não é possível decodificar a mensagem: valores aninhados demais para o seu tamanho",
  "net.message.notJson": "Não é possível decodificar a mensagem: o conteúdo não é JSON em UTF-8",
  "net.message.notObject": "Não é possível decodificar a mensagem: o conteúdo não é um objeto JSON",
  "net.message.unknownType": "Não é possível decodificar a mensagem: tipo desconhecido '{type}'",
  "net.message.malformed": "Não é possível decodificar a mensagem: '{type}' malformado ({detail})",

  // net/membership.ts, pake.ts: admission
  "net.member.noKey": "O certificado do rastreador não tem uma chave utilizável",
  "net.member.badSignature": "O rastreador assinou uma filiação que não confere",
  "net.pake.emptyCode": "O código de acesso está vazio",
  "net.pake.shortSid": "o sid do PAKE é curto demais",
  "net.pake.shareSize": "uma parte do PAKE deve ter {bytes} bytes",
  "net.pake.badShare": "a parte do PAKE não é um elemento válido do grupo",
  "net.pake.identity": "a parte do PAKE é o elemento neutro",

  // net/channel.ts, secure.ts: texts sent to the other side
  "wire.internal": "Erro interno",
  "wire.plaintextRefusal":
    "Este rede-p2p fala a versão {version} do protocolo, só sobre TLS; atualize o rede-p2p para entrar",
};
