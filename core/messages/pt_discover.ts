/**
 * Messages of finding the tracker on the LAN by UDP multicast (serve's announcements, the
 * listening of join and the one-shot verbs); in Brazilian Portuguese, key for key as
 * `en_discover.ts`. Spread into `pt.ts`. See `core/i18n.ts` for the rules and the glossary.
 */
import type { enDiscover } from "./en_discover.ts";
import type { Entry } from "./types.ts";

export const ptDiscover: Record<keyof typeof enDiscover, Entry> = {
  "discover.announcing":
    "Descoberta: a rede '{network}' responde em UDP {group}:{port} (--no-discovery desliga)",
  "discover.serveOff": "Descoberta desligada: {reason}; os pares entram pelo endereço",
  "discover.ipv6Only": "a descoberta funciona em IPv4, e este rastreador escuta só em {host}",
  "discover.noInterface": "nenhuma interface IPv4 conseguiu entrar no grupo multicast",
  "discover.badNetwork": "Nome de rede inválido '{name}': {problem}",
  "discover.badPort": "Porta de descoberta inválida '{port}'",

  "discover.looking": "Procurando um rastreador na rede local ({seconds} s)...",
  "discover.found": "Rastreador da rede '{network}' encontrado em {address} (ID {id})",
  "discover.item": "{network} ({address})",
  "discover.off": "A descoberta está desligada (--no-discovery): informe o endereço do rastreador",
  "discover.none":
    "Nenhum rastreador respondeu na rede local em {seconds} s: informe o endereço dele (o rastreador o mostra ao iniciar: 'Os pares entram com: rede-p2p join ENDEREÇO')",
  "discover.noneNamed":
    "Nenhum rastreador da rede '{network}' respondeu em {seconds} s: informe o endereço dele (o rastreador o mostra ao iniciar)",
  "discover.noneNamedOthers":
    "Nenhum rastreador da rede '{network}' respondeu em {seconds} s (encontrados: {list}): confira o nome ou informe o endereço do rastreador",
  "discover.several": {
    one:
      "{count} rastreador respondeu: {list}; escolha um com --network NOME ou informe o endereço",
    other:
      "{count} rastreadores responderam: {list}; escolha um com --network NOME ou informe o endereço",
  },
  "discover.choiceOpen": "  {n}. {network} em {address}, aberta, ID {id}",
  "discover.choiceCode": "  {n}. {network} em {address}, com código de acesso, ID {id}",
  "discover.question": "Rastreador para entrar (1-{max}): ",
  "discover.noChoice": "Nenhum rastreador escolhido",
  "discover.badChoice": "'{answer}' não é um número de 1 a {max}",

  "help.serve.opt.network":
    "o nome da rede, anunciado na rede local para o 'join' achar (padrão: o nome da máquina)",
  "help.serve.opt.no-discovery": "não responder à descoberta: os pares precisam do endereço",
  "help.serve.opt.discovery-port":
    "porta UDP da descoberta (padrão 9451; os pares precisam usar a mesma)",
  "help.join.opt.network": "sem endereço: entrar no rastreador desta rede achado na rede local",
  "help.join.opt.no-discovery":
    "nunca procurar o rastreador na rede local: o endereço é obrigatório",
  "help.join.opt.discovery-port": "porta UDP da descoberta (padrão 9451; a mesma do rastreador)",
  "discover.addressAndNetwork": "Indique o endereço do rastreador ou --network NOME, não os dois",
};
