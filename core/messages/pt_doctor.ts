/**
 * Messages of `rede-p2p doctor`: its checks, verdicts and fixes; in Brazilian Portuguese, key for key as `en_doctor.ts`. Spread into `pt.ts`.
 * See `core/i18n.ts` for the rules and the glossary.
 */
import type { enDoctor } from "./en_doctor.ts";
import type { Entry } from "./types.ts";

export const ptDoctor: Record<keyof typeof enDoctor, Entry> = {
  "doctor.share.noFolder": "A pasta compartilhada {dir} não existe ou não é uma pasta",
  "doctor.share.noFolderFix":
    "Rode o rede-p2p na pasta que contém arquivos_compartilhaveis/, ou indique-a com --dir",
  "doctor.share.manifest": {
    one: "{count} arquivo listado em {manifest}",
    other: "{count} arquivos listados em {manifest}",
  },
  "doctor.share.folder": {
    one: "Sem manifesto: {count} arquivo de {dir} seria compartilhado",
    other: "Sem manifesto: os {count} arquivos de {dir} seriam compartilhados",
  },
  "doctor.share.problems": {
    one: "{line}; {count} linha ignorada",
    other: "{line}; {count} linhas ignoradas",
  },
  "doctor.share.problemsFix":
    "Corrija ou remova as linhas ignoradas do manifesto; a primeira: {first}",
  "doctor.share.emptyFix":
    "Coloque arquivos na pasta compartilhada, ou liste-os em meus_arquivos.txt",
  "doctor.share.unreadable": "Não foi possível ler o compartilhamento: {error}",
  "doctor.share.unreadableFix":
    "Confira se este usuário pode ler a pasta compartilhada e o manifesto",
  "doctor.disk.unknown": "Não é possível saber o espaço livre em disco aqui",
  "doctor.disk.free": "{size} livres para downloads",
  "doctor.disk.lowFix": "Libere espaço: os downloads param quando o disco enche",
  "doctor.identity.unreadable": "Não foi possível ler a identidade em {path}: {error}",
  "doctor.identity.unreadableFix":
    "Mova {dir} para outro lugar; o próximo join cria uma identidade nova (os outros verão um ID novo)",
  "doctor.identity.peer": "ID do par {id} (identidades em {home})",
  "doctor.identity.none":
    "Ainda não há identidade de par para esta pasta: o primeiro join cria uma (em {home})",
  "doctor.identity.pinned": "{peer}; o rastreador {tracker} está fixado como {id}",
  "doctor.identity.notPinned":
    "{peer}; nenhum ID fixado para o rastreador {tracker} ainda (o primeiro join o fixa)",
  "doctor.firewall.line":
    "Se os outros pares não conseguem alcançar este, libere o rede-p2p no firewall",
  "doctor.firewall.windows":
    'Num terminal aberto como administrador: netsh advfirewall firewall add rule name="rede-p2p" dir=in action=allow program="{program}" enable=yes profile=private,domain',
  "doctor.firewall.macos":
    'sudo /usr/libexec/ApplicationFirewall/socketfilterfw --add "{program}" && sudo /usr/libexec/ApplicationFirewall/socketfilterfw --unblockapp "{program}" (ou Ajustes do Sistema, Rede, Firewall, Opções)',
  "doctor.firewall.linuxPort":
    "ufw: sudo ufw allow {port}/tcp; firewalld: sudo firewall-cmd --permanent --add-port={port}/tcp && sudo firewall-cmd --reload",
  "doctor.firewall.linuxAnyPort":
    "o join escuta numa porta nova a cada execução: inicie-o com --listen-port 9452 e libere essa porta (ufw: sudo ufw allow 9452/tcp; firewalld: sudo firewall-cmd --permanent --add-port=9452/tcp && sudo firewall-cmd --reload)",
  "doctor.verdict.ok": "ok   ",
  "doctor.verdict.warn": "aviso",
  "doctor.verdict.fail": "FALHA",
  "doctor.verdict.skip": "info ",
  "doctor.row": "[{verdict}] {line}",
  "doctor.fix": "        como resolver: {fix}",
  "doctor.start": "Conferindo esta máquina, a rede local e o rastreador (alguns segundos)...",
  "doctor.summaryOk":
    "Nenhuma verificação falhou. Se algo ainda não funciona, envie este relatório a quem está ajudando você.",
  "doctor.summaryFailed": {
    one: "{count} verificação falhou: veja como resolver acima.",
    other: "{count} verificações falharam: veja como resolver acima.",
  },
  "doctor.needsTracker": "Não conferido: precisa do rastreador",
  "doctor.discovery.off": "Descoberta não tentada (--no-discovery)",
  "doctor.discovery.none": "Nenhum rastreador respondeu na rede local (descoberta por multicast)",
  "doctor.discovery.noneFix":
    "Se há um rastreador rodando, o multicast não passa aqui (isolamento de clientes, VLANs, um firewall): indique o endereço dele com --tracker, como o rastreador mostra ao iniciar",
  "doctor.discovery.found": {
    one: "A descoberta funciona: {count} rastreador respondeu: {list}",
    other: "A descoberta funciona: {count} rastreadores responderam: {list}",
  },
  "doctor.tracker.ok":
    "O rastreador {address} está acessível e admitiu esta máquina (ID do rastreador {id})",
  "doctor.tracker.codeFix":
    "A rede é privada: dê o código de acesso com --code para conferir o resto",
  "doctor.tracker.wrongCodeFix":
    "Peça o código de acesso de novo: o rastreador o mostra ao iniciar",
  "doctor.tracker.identityFix":
    "Se o rastreador foi reinstalado de propósito, esqueça o ID antigo: rede-p2p id --forget {address}",
  "doctor.tracker.unreachableFix":
    "Confira o endereço e se o 'rede-p2p serve' está rodando lá; na máquina do rastreador, libere a porta dele (9450/tcp) no firewall",
  "doctor.tracker.none":
    "Nenhum rastreador para conferir: nenhum foi dado, e a descoberta não achou nenhum",
  "doctor.tracker.several": {
    one: "Nenhum rastreador para conferir: {count} encontrado",
    other: "Nenhum rastreador para conferir: {count} encontrados; escolha um",
  },
  "doctor.tracker.giveFix":
    "Indique o rastreador com --tracker HOST (ou --network NOME quando vários respondem)",
  "doctor.back.ok":
    "O rastreador se conectou de volta a esta máquina em {address} ({ms} ms): os outros pares conseguem alcançá-la",
  "doctor.back.elsewhere":
    "O rastreador alcançou {address}, mas não este programa: o endereço que ele vê é de outra máquina (NAT)",
  "doctor.back.fail": "O rastreador não conseguiu se conectar de volta a {address}: {result}",
  "doctor.back.fix":
    "Libere o rede-p2p no firewall desta máquina (veja a linha do firewall abaixo); numa rede Wi-Fi de visitantes ou isolada, os pares não se alcançam",
  "doctor.back.natFix":
    "O rastreador vê esta máquina como {ip}, que não é um endereço dela: pares do lado do rastreador desse roteador podem não alcançá-la",
  "doctor.back.cannotListen": "Não foi possível escutar na porta {port}: {error}",
  "doctor.back.cannotListenFix":
    "Outro programa está usando essa porta (um join rodando?): escolha outra com --listen-port",
  "doctor.back.notAsked": "A conexão de volta não foi conferida: {error}",
  "doctor.clock.behind": "Este relógio está {time} atrás do relógio do rastreador",
  "doctor.clock.ahead": "Este relógio está {time} adiantado em relação ao do rastreador",
  "doctor.clock.fix":
    "Acerte o relógio (ative a hora automática): os recibos levam a hora em que foram assinados",
  "help.doctor.summary":
    "Confere esta máquina, a rede local e o rastreador, e diz como resolver o que está errado",
  "help.doctor.description":
    "Faz todas as verificações que quem ajuda perguntaria, uma linha cada, com um veredito (ok,\naviso, FALHA, info) e como resolver: se a descoberta acha um rastreador na rede local; se o\nrastreador está acessível e admite esta máquina; se o rastreador consegue se conectar de volta\nà porta em que um par escuta (para os outros pares o alcançarem); se este relógio concorda com\no do rastreador; a pasta compartilhada e o manifesto e o que compartilhariam; o espaço livre em\ndisco; a identidade e o ID do rastreador fixado; e a regra de firewall deste sistema. Status de\nsaída 1 quando uma verificação falha. O rastreador é o de --tracker, senão o único que a\ndescoberta acha.",
  "help.doctor.opt.tracker":
    "o rastreador a conferir: HOST ou HOST:PORT (senão o encontrado na rede local)",
  "help.doctor.opt.code": "o código de acesso da rede (perguntado num terminal quando preciso)",
  "help.doctor.opt.network": "confere o rastreador desta rede encontrado na rede local",
  "help.doctor.opt.no-discovery": "não tenta a descoberta",
  "help.doctor.opt.discovery-port": "porta UDP da descoberta (padrão 9451; a mesma do rastreador)",
  "help.doctor.opt.dir": "pasta compartilhada a conferir",
  "help.doctor.opt.manifest": "manifesto a conferir",
  "help.doctor.opt.listen-port":
    "porta em que conferir a conexão de volta, a em que o join escuta (padrão: qualquer uma)",
  "help.doctor.opt.json": "imprime as verificações como um documento JSON (veja docs/JSON.md)",
  "doctor.tracker.noneGiven": "Nenhum rastreador para conferir: nenhum foi dado (--tracker HOST)",
  "help.doctor.opt.discovery-via":
    "procura rastreadores só pela interface de rede deste endereço IPv4",
  "doctor.badVia": "--discovery-via aceita um endereço IPv4 desta máquina, não '{value}'",
  "doctor.clock.same":
    "Este relógio concorda com o do rastreador (com diferença de menos de um segundo)",
};
