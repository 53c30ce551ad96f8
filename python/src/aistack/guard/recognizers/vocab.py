"""Pattern fragments several recognizers share (written against the folded view)."""

from __future__ import annotations

# Vocabulary several rules share.
SECRET_NOUNS: tuple[str, ...] = (
    "key",
    "secret",
    "credential",
    "password",
    "token",
    "cookie",
    "env",
    "id_",
    "ssh",
    "prompt",
    "history",
    "conversation",
    "chat",
    "config",
)

AI_NOUNS: tuple[str, ...] = (
    "ai",
    "assistant",
    "model",
    "chatbot",
    "bot",
    "llm",
    "agent",
    "tool",
    "summari",
    "crawler",
)

REVEAL_VERBS: tuple[str, ...] = (
    "quot",
    "repeat",
    "print",
    "output",
    "show",
    "reveal",
    "display",
    "recit",
    "dump",
    "write",
    "tell",
    "give",
    "list",
    "share",
    "paste",
    "echo",
    "spell",
    "cop",
    "disclos",
    "leak",
    "expos",
    "return",
)

QUAL_EN = (
    r"(?:(?:all|any|every|each|the|of|your|my|our|these|those|its|their|this|that|above|"
    r"previous|prior|preceding|earlier|former|foregoing|original|initial|existing|old|current|"
    r"system|developer|safety|given|other|and|or|standing|default|programmed|provided)~){0,6}"
)

STRONG_QUAL_EN = (
    r"(?:all|any|every|your|previous|prior|preceding|earlier|above|former|foregoing|original|"
    r"initial|existing|system|developer|safety|standing|programmed)"
)

NOUN_EN = (
    r"(?:instructions?|instructs?|prompts?|directions?|directives?|rules|guidelines|commands|"
    r"orders|context|constraints|guardrails|programming|policies|restrictions|"
    r"conditioning|training|safeguards|system ?prompt|guidance)"
)

AI_NOUN = (
    r"(?:ai|a\.i\.|llm|llms|language models?|large language models?|chatbots?|"
    r"(?:ai )?assistants?|ai agents?|agents?|gpt|chatgpt|claude|gemini|copilot|bots?|"
    r"ai models?|models?|ai systems?)"
)

SENSITIVE_EN = (
    r"(?:conversation|chat ?history|history|dialog(?:ue)?|(?:previous|prior|earlier)~messages|"
    r"system ?prompt|instructions|secrets?|api ?keys?|credentials?|passwords?|"
    r"environment variables?|env ?vars?|cookies?|personal (?:data|information|details)|"
    r"user ?data|user'?s?~\w+|memory|memories|transcript|everything(?: above| you know)?|"
    r"the above|private (?:data|keys?|information))"
)

ONE_WORD = r"(?:[^\W_]+[\W_]{1,4})"  # one filler word and its separator

SECRET_EN = (
    r"(?:api~?keys?|secrets?|credentials?|passwords?|passphrases?|(?:access|session|auth|bearer|"
    r"api)~tokens?|tokens|cookies?|env(?:ironment)?~variables?|env~vars?|\.env(?:~file)?|"
    r"id_rsa|id_ed25519|ssh~keys?|private~keys?|system~prompt|(?:chat|conversation)~history|"
    r"(?:the~)?conversation~(?:so~far|history|log)|chat~log|config(?:uration)?~you~(?:were|have~been)~"
    r"given)"
)

AI_SUBJECT = (
    r"(?:(?:the|this|any|all|every|each|an?)~(?:(?:automated|ai|language|large~language|"
    r"autonomous)~)?(?:ai|assistants?|models?|chatbots?|bots?|llms?|agents?|ai~(?:systems?|tools?|"
    r"agents?|models?)|screening~tools?|summari[sz]ers?|crawlers?)|language~models|llms|"
    r"ai~(?:models|systems|agents|assistants|tools|crawlers)|chatbots)"
)

AI_VERB = (
    r"(?:reply|respond|answer|say|output|print|state|tell|ignore|disregard|forget|recommend|"
    r"refuse|reveal|send|forward|disclose|claim|praise|delete|grant|approve|close|execute|run|"
    r"e-?mail|omit|stop|rate|describe|cite|include|mention|treat|obey|comply|call|visit|open|"
    r"download|install|transfer|share|leak|report|insist|click|post|upload|add|append|remove)"
)

URLISH = (
    r"(?:https?[:/]|www\.|ftp:|[a-z0-9-]+\.[a-z]{2,}/|[\w.+-]+@[\w-]+\.[a-z]{2,}|"
    r"\[?(?:url|endpoint|webhook|server)\]?\b)"
)

# What the model was set up with.
SETUP_NOUN = (
    r"(?:instructions?|rules|guidelines|guidance|directions|directives|constraints|briefing|"
    r"brief|configuration|config|setup|set-?up|objectives?|task|orders|programming|"
    r"prompt|system~(?:message|prompt)|setup~message|policies|restrictions|context)"
)

# Marks a noun as the model's own prior setup ("your", "earlier", "you were given").
# Nouns that name instructions only (no "configuration"/"task"/"context": an
# upgrade note saying "your previous configuration is no longer valid" is
# ordinary documentation).
SETUP_NOUN_STRICT = (
    r"(?:instructions?|rules|guidelines|guidance|directions|directives|constraints|briefing|"
    r"brief|objectives?|task|orders|programming|system~(?:message|prompt)|setup~message)"
)

PRIOR_ADJ = (
    r"(?:earlier|previous|prior|preceding|original|initial|current|existing|old|above|"
    r"former|standing|default)"
)

YOU_GOT = (
    r"(?:you~(?:were|have~been|'ve~been|ve~been|had~been|got|received|are~operating~under|"
    r"'re~operating~under|re~operating~under|started~with|were~set~up~with|were~given|"
    r"were~told)|(?:at~the~(?:top|start|beginning)~of~(?:this~)?(?:conversation|chat|"
    r"session)?)|from~your~(?:setup|configuration|system|operator|developer)|"
    r"(?:the~)?(?:operator|developer|admin|system)~(?:configured|told|gave|set)|behind~it|"
    r"above~this~(?:line|paragraph|sentence|message)|above\b|before~this\b|so~far\b)"
)

SETUP_REF = (
    r"(?:your~(?:(?:own|very|"
    + PRIOR_ADJ[3:-1]
    + r")~){0,2}"
    + SETUP_NOUN
    + r"|"
    + PRIOR_ADJ
    + r"~(?:[^\W_]+[\W_]{1,4})?"
    + SETUP_NOUN
    + r"|"
    + SETUP_NOUN
    + r"~(?:[^\W_]+[\W_]{1,4}){0,2}?"
    + YOU_GOT
    + r"|(?:whatever|everything|anything|stuff)~(?:[^\W_]+[\W_]{1,4}){0,2}?"
    + YOU_GOT
    + r")"
)

SETUP_REF_STRICT = SETUP_REF.replace(SETUP_NOUN, SETUP_NOUN_STRICT)

INVALID_PRED = (
    r"(?:no~longer~(?:appl\w*|binding|valid|in~effect|active|relevant|matters?|counts?)|"
    r"(?:do|does|did)(?:~not|n'?t)~(?:apply|count|matter)|"
    r"(?:is|are|was|were|has~been|have~been|got)~(?:now~|hereby~|officially~)?"
    r"(?:out~of~date|outdated|void|null|cancel+ed|revoked|withdrawn|superseded|obsolete|"
    r"invalid|wrong|a~mistake|a~test|fake|not~binding|suspended|lifted|replaced|deprecated|"
    r"expired|overridden|rescinded|retracted|lifted|no~longer~valid|not~real|irrelevant)|"
    r"(?:is|are)~(?:not~)?binding~any~?more)"
)

INVALID_VERB = (
    r"(?:set~aside|put~aside|pay~no~attention~to|(?:do~not|don'?t|dont)~pay~attention~to|"
    r"drop|wipe|discard|abandon|scrap|ditch|clear~your~(?:head|mind|memory)~of|"
    r"stop~(?:following|obeying|using)|forget|ignore|disregard|throw~(?:out|away)|let~go~of|"
    r"no~need~to~(?:keep~to|stick~to|follow|obey|respect)|"
    r"(?:no~longer|don'?t|do~not)~need~to~(?:keep~to|stick~to|follow|obey|respect))"
)

AI_READER = (
    r"(?:(?:ai|llm|automated)~(?:code~)?reviewers?|"
    r"(?:(?:automated|ai|llm|browsing|screening|reading|code|language|large~language|"
    r"meeting-?notes|autonomous)~){0,2}(?:ai|a\.i\.|assistants?|llms?|language~models?|"
    r"models?|chatbots?|bots?|agents?|summari[sz]ers?|crawlers?|ia|gpt|copilot|"
    r"systems?|tools?|screening~(?:tools?|assistants?)))"
)

REVEAL_VERB = (
    r"(?:quote|repeat|print|output|show|reveal|display|recite|dump|write~out|tell~me|"
    r"give~me|list|share|paste|echo|spell~out|copy|disclose|leak|expose|return)\w{0,2}"
)

# The family rules' anchors sit within a dozen words of where a match starts
# and ends.
NEAR_REACH = (170, 170)
