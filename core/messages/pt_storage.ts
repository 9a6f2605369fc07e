/**
 * Messages of the disk and the identity: the errors of storage/ and core/; in Brazilian
 * Portuguese, key for key as `en_storage.ts`. Spread into `pt.ts`. See `core/i18n.ts` for the
 * rules and the glossary.
 */
import type { enStorage } from "./en_storage.ts";
import type { Entry } from "./types.ts";

export const ptStorage: Record<keyof typeof enStorage, Entry> = {
  // core/names.ts
  "names.empty": "está vazio",
  "names.tooLong": "tem mais de {max} bytes",
  "names.unsafeChars": "não pode conter caracteres de controle nem bidirecionais",
  "names.slash": "não pode conter '/' nem '\\'",
  "names.dots": "não pode ser '.' nem '..'",
  "names.hidden": "não pode começar com '.' (oculto)",
  "names.drive": "não pode começar com uma letra de unidade",
  "names.windowsChars": 'não pode conter nenhum destes: < > : " | ? *',
  "names.reserved": "é um nome de dispositivo reservado no Windows",
  "names.spaces": "não pode começar nem terminar com espaços",
  "names.endDot": "não pode terminar com '.'",
  "names.backslash": "não pode conter '\\'",
  "names.emptyFolder": "tem um nome de pasta vazio",
  "names.part": "a parte '{part}' {problem}",
  "names.invalid": "Nome de arquivo inválido '{name}': {problem}",
  // storage/paths.ts
  "names.leaves": "sai da pasta compartilhada",
  "names.linkOut": "uma pasta no caminho leva para fora da pasta compartilhada",
  // core/peer_name.ts
  "names.peer.rule":
    "letras, dígitos, '-' e '_', começando e terminando com letra ou dígito, com pelo menos uma letra, no máximo {max} caracteres",
  "names.peer.tooLong": "tem mais de {max} caracteres",
  "names.peer.notAllowed": "só pode ter letras, dígitos, '-' e '_' (não {char})",
  "names.peer.space": "só pode ter letras, dígitos, '-' e '_' (não um espaço)",
  "names.peer.notNfc": "não está na forma Unicode NFC",
  "names.peer.edges": "precisa começar e terminar com uma letra ou um dígito",
  "names.peer.letter": "precisa ter uma letra (um número sozinho é uma linha de 'peers')",

  // core/content.ts
  "core.content.notHash": "não é um resumo SHA-256 em hexadecimal",
  "core.content.chunkSize": "tamanho de bloco não suportado (só {small}, {medium} ou {large})",
  "core.content.inconsistent": "descritor inconsistente",
  "core.content.sizeNotCount": "o tamanho não é uma contagem",
  "core.content.wrongChunkSize":
    "o tamanho de bloco {chunkSize} não é o de um arquivo de {size} bytes",
  "core.content.chunkCount": "número errado de blocos",
  "core.content.root": "a raiz não confere com os blocos",
  // core/have_map.ts
  "core.haveMap.bad": {
    one: "um mapa de blocos inválido para {count} bloco",
    other: "um mapa de blocos inválido para {count} blocos",
  },
  // core/wait.ts
  "core.notNeeded": "Não é mais necessário",
  // core/errors.ts
  "core.os.notFound": "Arquivo ou pasta inexistente (erro do sistema {code}){detail}",
  "core.os.permissionDenied": "Permissão negada (erro do sistema {code}){detail}",
  "core.os.alreadyExists": "O arquivo já existe (erro do sistema {code}){detail}",
  "core.os.isDirectory": "É uma pasta (erro do sistema {code}){detail}",
  "core.os.notDirectory": "Não é uma pasta (erro do sistema {code}){detail}",
  "core.os.noSpace": "Não há espaço livre no dispositivo (erro do sistema {code}){detail}",
  "core.os.connectionReset": "Conexão encerrada pelo outro lado (erro do sistema {code}){detail}",
  "core.os.brokenPipe": "Conexão interrompida (erro do sistema {code}){detail}",
  "core.os.timedOut": "Tempo esgotado na conexão (erro do sistema {code}){detail}",

  // core/receipt.ts
  "core.receipt.badBox": "Nome de caixa inválido '{name}': {problem}",
  "core.receipt.badBoxField": "nome de caixa inválido: {problem}",
  "core.receipt.notId": "não é uma identidade",
  "core.receipt.notCert": "não é um certificado",
  "core.receipt.notSig": "não é uma assinatura",
  "core.receipt.notUtc": "não é um horário ISO 8601 em UTC",
  "core.receipt.notDate": "não é uma data",
  "core.receipt.emptyName": "vazio",
  "core.receipt.longName": "com mais de {max} caracteres",
  "core.receipt.unsafeName": "tem caracteres de controle ou bidirecionais",
  "core.receipt.certNotBase64": "o certificado não está em base64",
  "core.receipt.certNotCollector": "o certificado não é o do coletor que ele indica",
  "core.receipt.certUnreadable": "o certificado não pode ser lido",
  "core.receipt.certNotP256": "a chave do certificado não é uma chave ECDSA P-256",
  "core.receipt.sigNotBase64": "a assinatura não está em base64",
  "core.receipt.sigMismatch": "a assinatura não confere com os campos (o recibo foi alterado?)",
  "core.receipt.not": "Não é um recibo do rede-p2p: {why}",
  "core.receipt.tooLarge": "maior que {max} bytes",
  "core.receipt.notJson": "não é JSON",
  "core.receipt.notObject": "não é um objeto JSON",
  "core.receipt.extraField": "tem um campo que nenhum recibo tem, '{field}'",
  "core.receipt.field": "campo '{field}': {problem}",
  // storage/receipts.ts
  "storage.receipt.notFile": "Recibo '{path}': não é um arquivo",
  "storage.receipt.tooLarge": "Recibo '{path}': maior que {max} bytes",
  "storage.receipt.noFile": "Recibo '{path}': arquivo inexistente",
  "storage.receipt.notUtf8": "Recibo '{path}': não é texto UTF-8",
  "storage.receipt.unreadable": "Recibo '{path}': não pode ser lido ({error})",
  "storage.receipt.notReceipt": "Recibo '{path}': não é um recibo do rede-p2p: {why}",

  // storage/chunks.ts
  "storage.isLink": "{path} é um link",
  "storage.notRegular": "{path} não é um arquivo comum",
  // storage/identity.ts
  "identity.unreadable":
    "A identidade em {dir} não pode ser lida ({code}); mova-a para outro lugar para criar uma nova",
  "identity.damaged":
    "A identidade em {dir} está danificada (o certificado não pode ser lido); mova-a para outro lugar para criar uma nova",
  "identity.old":
    "A identidade em {dir} foi criada por um rede-p2p mais antigo (sem o nome {name}); mova-a para outro lugar para criar uma nova",
  "identity.keyOnly":
    "A identidade em {dir} tem uma chave, mas nenhum certificado; mova-a para outro lugar para criar uma nova",
  "identity.noPem": "nenhum certificado no texto PEM",
  "identity.certShort": "certificado curto demais",

  // storage/disk.ts and storage/download.ts
  "disk.noRoom":
    "Espaço livre insuficiente para '{name}': precisa de {needed}, há {free} livres no disco de {dir}",
  "disk.checkCancelled": {
    one: "Conferência cancelada após {done} de {count} bloco",
    other: "Conferência cancelada após {done} de {count} blocos",
  },
  "disk.full": {
    one:
      "Disco cheio ao gravar '{name}': download interrompido; {written} de {count} bloco guardado para retomar",
    other:
      "Disco cheio ao gravar '{name}': download interrompido; {written} de {count} blocos guardados para retomar",
  },
  "disk.fullShort": {
    one:
      "Disco cheio ao gravar '{name}' ({still} ainda por gravar, {free} livres): download interrompido; {written} de {count} bloco guardado para retomar",
    other:
      "Disco cheio ao gravar '{name}' ({still} ainda por gravar, {free} livres): download interrompido; {written} de {count} blocos guardados para retomar",
  },
  "disk.writeFailed": {
    one:
      "Não foi possível gravar '{name}' ({error}): download interrompido; {written} de {count} bloco guardado para retomar",
    other:
      "Não foi possível gravar '{name}' ({error}): download interrompido; {written} de {count} blocos guardados para retomar",
  },
  "disk.noSpace": "Não há espaço livre no disco",
  "disk.fullStart": "Disco cheio: não é possível começar '{name}' em {folder}",
  "storage.download.cancelledChecking":
    "Download de '{name}' cancelado ao conferir o arquivo que já estava lá",
  "partial.cancelledChecking":
    "Download de '{name}' cancelado ao conferir o download parcial (guardado para retomar)",
  "storage.download.outOfOrder": "blocos fora de ordem",
  "storage.download.hashMismatch": "o bloco {index} não confere com o seu hash",
  "partial.cancelled": {
    one: "Download de '{name}' cancelado; {written} de {count} bloco guardado para retomar",
    other: "Download de '{name}' cancelado; {written} de {count} blocos guardados para retomar",
  },
  "partial.noSource": {
    one:
      "Nenhuma fonte conseguiu terminar '{name}' ({written} de {count} bloco guardado para retomar): {error}",
    other:
      "Nenhuma fonte conseguiu terminar '{name}' ({written} de {count} blocos guardados para retomar): {error}",
  },
  "partial.noSourceAtAll": {
    one:
      "Nenhuma fonte conseguiu terminar '{name}' ({written} de {count} bloco guardado para retomar): nenhuma fonte",
    other:
      "Nenhuma fonte conseguiu terminar '{name}' ({written} de {count} blocos guardados para retomar): nenhuma fonte",
  },
  // storage/partial.ts
  "partial.noFreeName": "Não foi possível achar um nome livre para '{name}'",

  // storage/manifest.ts
  "manifest.atLine": "Linha {line}: {problem}",
  "manifest.fields":
    "esperado 'NAME PATH', mas há {count} campos (ponha entre aspas os nomes com espaços)",
  "manifest.unterminated": "aspas não fechadas",
  "manifest.emptyQuoted": "campo entre aspas vazio",
  "manifest.afterQuote": "texto logo depois de aspas de fechamento",
  "manifest.badName": "nome inválido '{name}': {problem}",
  "manifest.windowsPath": "'{path}' é um caminho do Windows",
  "manifest.duplicate": "nome repetido '{name}' (primeiro na linha {first}); ignorado",
  "manifest.quote": "Não é possível escrever '{text}' num manifesto: contém '\"'",
  // storage/share_list.ts and storage/share_index.ts
  "share.own": "'{name}': {problem} ({path}); ignorado",
  "share.notFound": "'{name}': arquivo não encontrado ({path}); ignorado",
  "share.link": "'{name}': é um link ({path}); liste o arquivo para onde ele aponta; ignorado",
  "share.notRegular": "'{name}': não é um arquivo comum ({path}); ignorado",
  "share.badName": "'{name}': não pode ser compartilhado, o nome {problem}",
  "share.twice": "'{name}' está compartilhado duas vezes; fica o primeiro",
  "share.unreadable": "'{name}': não foi possível ler ({error}); ignorado",
  // storage/share_cache.ts
  "share.ownState": "o estado do próprio rede-p2p nunca é compartilhado",
  "share.partial": "um download parcial nunca é compartilhado",
  "share.hidden": "arquivos ocultos da pasta compartilhada nunca são compartilhados",
  // storage/share_index.ts
  "share.noFile": "Nenhum arquivo compartilhado com o nome '{name}'",
  "share.noContent": "Nenhum conteúdo compartilhado {root}",
  "share.changed": "'{name}' mudou no disco",
  "share.changedAsk": "'{name}' mudou no disco; peça de novo",
  "share.gone": "O arquivo compartilhado '{name}' não existe mais",
  "share.replaced": "O arquivo compartilhado '{name}' foi substituído no disco",
  "share.noChunk": "Não há bloco {index} em {name}",
  // storage/share_watch.ts
  "share.watchFailed":
    "Não foi possível vigiar os arquivos compartilhados ({error}); as mudanças são procuradas a cada {seconds} s",
};
