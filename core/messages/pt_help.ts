/**
 * The help texts of the verbs, in Brazilian Portuguese: the same keys as `en_help.ts` (a key
 * missing or extra is a type error), the same placeholders. See `core/i18n.ts` for the rules and
 * the glossary.
 */
import type { enHelp } from "./en_help.ts";
import type { Entry } from "./types.ts";

export const ptHelp: Record<keyof typeof enHelp, Entry> = {
  // serve
  "help.serve.summary": "Executa o rastreador, que mantém a lista dos pares conectados",
  "help.serve.description":
    "Executa o rastreador na porta PORT (padrão 9450). Mostra o endereço que os pares devem usar\n" +
    "e registra cada entrada e saída. Os pares são identificados pelo endereço e pela porta de\n" +
    "escuta, então vários pares numa mesma máquina funcionam. Pare-o com Ctrl-C.\n" +
    "A rede é privada: o rastreador mostra um código de acesso (novo a cada início, a menos que\n" +
    "se use --code) que os pares precisam informar para entrar. Com --open, qualquer um na rede\n" +
    "local pode entrar. Em todo caso, toda conexão é criptografada e as duas pontas são\n" +
    "identificadas (veja 'rede-p2p id').",
  "help.serve.arg.port": "porta em que escutar (0: qualquer porta livre)",
  "help.serve.opt.host": "endereço em que escutar ('::' para IPv6 também)",
  "help.serve.opt.code": "um código de acesso fixo (pelo menos {minCode} letras ou dígitos)",
  "help.serve.opt.open": "uma rede aberta: sem código de acesso (ainda criptografada)",
  "help.serve.opt.new-code":
    "sorteia um novo código de acesso (senão, reiniciar na mesma porta mantém o último)",
  // join
  "help.join.summary": "Entra num rastreador como par, compartilha sua pasta e abre o shell",
  "help.join.description":
    "Abre uma porta de escuta para os outros pares (uma porta livre, a menos que se use\n" +
    "--listen-port), registra-a no rastreador em HOST (porta 9450, a menos que HOST:PORTA; IPv6\n" +
    "como [::1]:9450), compartilha os arquivos listados no manifesto e abre um shell. Com um pipe\n" +
    "como entrada, executa um comando por linha e sai no fim, com status 1 se algum falhou. Um\n" +
    "arquivo que outro par oferece com push é perguntado no prompt (a próxima linha responde),\n" +
    "aceito sem perguntar com --accept-push e recusado com --no-shell sozinho. Uma linha avisa\n" +
    "quando alguém começa a baixar um arquivo seu (não com --quiet); 'uploads' lista esses downloads.",
  "help.join.arg.tracker": "HOST ou HOST:PORTA do rastreador; sem ele, é procurado na rede local",
  "help.join.opt.dir":
    "pasta compartilhada; os downloads chegam aqui (precisa existir, salvo a padrão)",
  "help.join.opt.manifest": "lista dos arquivos compartilhados, um 'NOME CAMINHO' por linha",
  "help.join.opt.name":
    "seu nome na rede: letras, dígitos, - e _ (padrão: o nome da máquina); o rastreador numera um nome já usado (bruno-2)",
  "help.join.opt.listen-port": "porta em que atender os pares",
  "help.join.opt.listen-host": "endereço em que atender os pares",
  "help.join.opt.max-upload-rate":
    "o máximo enviado aos outros por segundo: 2MB, 500KiB, 10Mbit (bit, bps: bits)",
  "help.join.opt.code": "o código de acesso da rede (perguntado num terminal quando preciso)",
  "help.join.opt.no-shell": "só compartilha, sem prompt, até Ctrl-C",
  "help.join.opt.accept-push": "aceita todo arquivo que outro par oferecer, sem perguntar",
  "help.join.opt.verbose":
    "registra os pedidos recusados, os detalhes dos erros e as mudanças no compartilhamento",
  // id
  "help.id.summary": "Mostra os IDs rede-p2p desta máquina, ou esquece o de um rastreador",
  "help.id.description":
    "Mostra o ID do par que compartilha DIR e o ID de um rastreador executado por este usuário,\n" +
    "criando cada um no primeiro uso: chaves criptográficas e um certificado, guardados numa\n" +
    "pasta do usuário (REDE_P2P_HOME define outra). Um ID é o SHA-256 do certificado, em grupos\n" +
    "base32; os três primeiros grupos são como os pares aparecem. Cada pasta compartilhada tem\n" +
    "seu próprio ID de par.\n" +
    "Um par guarda o ID de cada rastreador em que entrou e recusa um que mudou; depois de uma\n" +
    "mudança em que você confia (a máquina do rastreador foi reinstalada), --forget HOST[:PORT]\n" +
    "deixa a próxima entrada guardar o novo.",
  "help.id.opt.dir": "pasta compartilhada do par",
  "help.id.opt.forget": "esquece o ID guardado do rastreador nesse endereço",
  // verify-receipt
  "help.verify-receipt.summary":
    "Confere um recibo de entrega: a assinatura do coletor, e quem é o coletor",
  "help.verify-receipt.description":
    "Confere um arquivo de recibo, offline: seus campos, que o certificado que ele traz é o do\n" +
    "coletor (seu SHA-256 é o ID do coletor) e que a chave dele assinou esses campos. Com\n" +
    "--collector, confere também que o coletor é o par que você espera: informe o ID dele como\n" +
    "'rede-p2p id' o mostra (ou seus primeiros grupos, como 'peers' os mostra; menos grupos são\n" +
    "uma conferência mais fraca). Mostra o recibo e 'válido', com status de saída 0; um recibo\n" +
    "alterado, danificado ou de outra origem recebe uma linha e status de saída 1.",
  "help.verify-receipt.arg.file": "um recibo (veja 'receipts' no prompt)",
  "help.verify-receipt.opt.collector":
    "o ID do coletor que você espera (completo, ou seus três primeiros grupos ou mais)",
  // peers
  "help.peers.summary": "Lista os pares conectados ao rastreador",
  "help.peers.description":
    "Mostra todo par que o rastreador conhece: número da linha, IP, porta de escuta, nome, número\n" +
    "de arquivos compartilhados e seu ID (os primeiros grupos; veja 'rede-p2p id'). A sua linha\n" +
    "é marcada com '*'. Os nomes são únicos na rede (o rastreador numera um nome já usado:\n" +
    "bruno, bruno-2); um nome ou um número de linha nomeia um par em 'ls', 'get', 'push' e 'hand-in'.",
  // ls
  "help.ls.summary": "Lista os arquivos que um par compartilha",
  "help.ls.description":
    "Nomeia o par pelo nome (maiúsculas ou minúsculas), como 'IP PORTA', 'IP:PORTA', o '#' de uma\n" +
    "linha de 'peers', ou só o IP quando apenas um par o usa. Mostra nome, tamanho e hash raiz\n" +
    "curto de cada arquivo.",
  "help.ls.arg.peer": "nome, IP, IP:PORTA ou # de 'peers'",
  "help.ls.arg.port": "a porta do par, quando dada à parte",
  // find
  "help.find.summary": "Procura nomes de arquivo em todos os pares",
  "help.find.description":
    "Lista todo arquivo cujo nome contém TEXT (sem distinguir maiúsculas de minúsculas, com ou\n" +
    "sem acentos), uma linha por conteúdo: nome, tamanho, hash raiz curto e quantos pares o têm.\n" +
    "'get #N' baixa a linha N de todos eles.",
  "help.find.arg.text": "parte de um nome de arquivo",
  // get
  "help.get.summary": "Baixa arquivos, de um par ou de todos os pares que os têm",
  "help.get.description":
    "get <file>...                de todo par que compartilha esse conteúdo\n" +
    "get #N...                    linhas do último 'find' (get #1 #2 baixa as duas)\n" +
    "get --from <peer> <file>...  desse par, e de todo outro que tenha o mesmo conteúdo\n" +
    "get <IP>[:PORT] <file>...    o mesmo, com o par escrito como endereço\n" +
    "\n" +
    "Como cada palavra é lida: '#N' é sempre a linha N do último 'find'; uma primeira palavra que\n" +
    "é um endereço IP (com ou sem :PORTA) seguida de nomes é o par; toda outra palavra é um nome\n" +
    "de arquivo ou pasta, então um arquivo chamado '1' se baixa com 'get 1'. Comece um nome com\n" +
    "'./' para tomá-lo ao pé da letra: 'get ./#3' baixa um arquivo chamado '#3'. Um par é\n" +
    "nomeado pelo nome, pelo # em 'peers', pelo IP ou por IP:PORTA.\n" +
    "\n" +
    "Cada arquivo é baixado em blocos (1 MiB, até 4 MiB para arquivos acima de 1 GiB) de todo par\n" +
    "que tem o mesmo conteúdo, incluindo os que ainda o estão baixando, e cada bloco é conferido\n" +
    "com seu SHA-256 antes de ser gravado. Ele chega na pasta compartilhada, entra no manifesto e\n" +
    "passa a ser compartilhado. Um arquivo existente nunca é substituído: um nome livre como\n" +
    "'a (1).txt' é usado, e isso é avisado. Um nome que é uma pasta compartilhada baixa a pasta\n" +
    "inteira. Vários arquivos baixam ao mesmo tempo. Um download interrompido (Ctrl-C, um par\n" +
    "perdido, uma queda) continua no próximo 'get' do mesmo arquivo. Um arquivo que não cabe no\n" +
    "disco é recusado antes de qualquer gravação; um disco que enche interrompe o download, que\n" +
    "fica guardado para continuar.\n" +
    "Use aspas em nomes com espaços.",
  "help.get.arg.file": "um nome mostrado por 'ls' ou 'find', ou uma linha #N de 'find'",
  "help.get.opt.from": "o par de onde baixar: seu nome, # em 'peers', IP ou IP:PORTA",
  // push
  "help.push.summary":
    "Oferece um arquivo ou pasta que você compartilha a todos os pares, ou aos nomeados",
  "help.push.description": "push <file>              a todos os outros pares da rede\n" +
    "push <file> <peer>...    aos pares nomeados: # em 'peers', nome, IP:PORTA ou IP\n" +
    "\n" +
    "Cada par recebe a pergunta no seu prompt (se aceita 'prova.pdf' (2,1 MiB) de ana), ou aceita\n" +
    "sozinho quando iniciado com --accept-push; sem resposta em 60 s, a oferta é recusada.\n" +
    "Um par que aceita baixa o arquivo como num 'get', cada bloco conferido, de você e de todo\n" +
    "outro par que o tenha. Uma tabela mostra o estado de cada par (perguntado, recusou,\n" +
    "baixando %, concluído, falhou) e sua taxa, depois um resumo: quem o recebeu íntegro, quem\n" +
    "recusou, quem falhou e por quê. Uma pasta oferece seus arquivos (no máximo 1000). Ctrl-C\n" +
    "retira a oferta dos pares que ainda não aceitaram; os que já estão baixando continuam.",
  "help.push.arg.file": "um arquivo ou pasta que este par compartilha",
  "help.push.arg.peer": "# de 'peers', nome, IP:PORTA ou IP (padrão: todos)",
  // downloads
  "help.downloads.summary": "Lista os downloads desta sessão: ativos, na fila e concluídos",
  "help.downloads.description":
    "Mostra todo download desta sessão: nome, estado, progresso, taxa e os bytes que cada fonte\n" +
    "enviou.",
  // collect
  "help.collect.summary": "Abre uma caixa de entrega, mostra o que chegou, ou fecha uma",
  "help.collect.description":
    "collect <box>           abre aqui uma caixa de entrega chamada BOX (ou a mostra, se aberta)\n" +
    "collect                 mostra todas as caixas desta sessão e o que chegou\n" +
    "collect --close <box>   fecha uma caixa: as entregas a ela são recusadas daí em diante\n" +
    "\n" +
    "Outros pares entregam arquivos com 'hand-in <peer> <box> <file>...'. Cada arquivo é baixado\n" +
    "do remetente, cada bloco conferido com seu hash, para\n" +
    "<pasta compartilhada>/<box>/<nome do remetente>/ (um segundo arquivo de mesmo nome fica ao\n" +
    "lado do primeiro, nunca por cima), e o remetente recebe um recibo assinado com a identidade\n" +
    "deste par. As entregas não entram no manifesto nem são anunciadas: não são compartilhadas.\n" +
    "Por isso uma caixa precisa de um manifesto que não compartilhe a pasta dela (sem manifesto,\n" +
    "todo arquivo da pasta é compartilhado). A tabela mostra remetente, arquivo, tamanho, raiz e\n" +
    "hora de cada chegada, e quais pares presentes ainda não entregaram nada. As caixas duram\n" +
    "esta sessão.",
  "help.collect.arg.box": "o nome da caixa (um nome de arquivo simples)",
  "help.collect.opt.close": "fecha a caixa BOX",
  // hand-in
  "help.hand-in.summary":
    "Entrega arquivos na caixa de entrega de outro par, com um recibo assinado para cada um",
  "help.hand-in.description":
    "Entrega arquivos que este par compartilha na caixa BOX que o outro par abriu com\n" +
    "'collect BOX'. O coletor baixa cada arquivo de você, confere cada bloco, guarda-o sob a\n" +
    "caixa e o seu nome, e devolve um recibo assinado com a identidade dele: caixa, seu ID e\n" +
    "nome, o nome, o tamanho e a raiz do arquivo, e a hora. Uma linha por arquivo avisa quando\n" +
    "o recibo chega (ou por que o arquivo não foi recebido). Os recibos ficam na pasta de recibos\n" +
    "ao lado das suas identidades; 'receipts' os lista e 'rede-p2p verify-receipt FILE' confere\n" +
    "um deles.\n" +
    "Só arquivos que você compartilha podem ser entregues (o nome de uma pasta compartilhada\n" +
    "entrega os arquivos dela), no máximo {maxHandIn} de uma vez. Use aspas em nomes com espaços.",
  "help.hand-in.arg.peer": "o coletor: nome, IP, IP:PORTA ou # de 'peers'",
  "help.hand-in.arg.box": "o nome da caixa aberta por ele",
  "help.hand-in.arg.file": "um nome que este par compartilha",
  // receipts
  "help.receipts.summary": "Lista os recibos das suas entregas",
  "help.receipts.description":
    "Mostra todo recibo guardado na pasta de recibos ao lado das suas identidades (REDE_P2P_HOME\n" +
    "define outra pasta): quando, qual coletor (os primeiros grupos do ID dele), caixa, arquivo,\n" +
    "tamanho, raiz, se a assinatura confere, e o arquivo do recibo, que\n" +
    "'rede-p2p verify-receipt FILE' confere em qualquer lugar, offline.",
  // help
  "help.help.summary": "Mostra os verbos, ou o uso e as opções de um verbo",
  "help.help.arg.verb": "o verbo a explicar",
  // quit
  "help.quit.summary": "Sai do rastreador e encerra (Ctrl-D faz o mesmo)",
  "help.join.opt.quiet":
    "sem aviso quando alguém começa a baixar um arquivo seu ('uploads' lista esses downloads)",
  "help.uploads.summary": "Lista quem está baixando o quê de você agora",
  "help.uploads.description":
    "Mostra cada upload em andamento, uma linha por par e arquivo (quantas conexões e blocos\n" +
    "ele usar): o par, seu endereço, o arquivo, os bytes enviados, a taxa nos últimos segundos\n" +
    "e desde quando. Um upload termina alguns segundos após o último pedido de bloco.\n" +
    "'join --quiet' desliga o aviso dado quando alguém começa a baixar.",
  "help.quit.description":
    "Sai do rastreador e encerra. Num terminal, enquanto outros baixam de você, pergunta\n" +
    "antes ('s', 'sim', 'y' ou 'yes' sai; qualquer outra resposta fica); --force sai sem\n" +
    "perguntar. Com entrada por pipe nunca pergunta, nem com Ctrl-D e SIGTERM.",
  "help.quit.opt.force": "sai sem perguntar, mesmo com uploads em andamento",
};
