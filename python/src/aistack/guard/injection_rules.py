"""Rule data for :mod:`aistack.guard.injection` (patterns, weights, cue words).

Kept apart from the engine so the rules can be read and reviewed as data.
Patterns are written against the scanner's *folded* view of the text: NFKC,
casefolded, accents stripped, homoglyphs and leetspeak mapped back to Latin
letters, spaced-out letters joined (see ``injection._views``). So they are
written in lower case without accents; the engine folds each pattern source
the same way before compiling, so accented spellings below are fine too.

Pattern shorthand, expanded by the engine before compiling:

``~``   a separator: 0-4 non-word characters (``[\\W_]{0,4}``). Zero is allowed
        so that text whose spaces were replaced by zero-width characters, or
        spaced-out letters that were joined, still matches.
``…``   up to three arbitrary filler words.

For Latin-script rules the engine also turns each ``l`` into ``[li]``, since
leetspeak ``1`` is folded to ``i`` but often stands for ``l`` ("ru1es").

Weights are the probability-like strength of one rule on its own; the engine
combines distinct rules as ``1 - prod(1 - w)``. Roughly: 0.85+ is an
unambiguous attack phrase, 0.5-0.8 a strong sign, below 0.5 a sign that only
flags together with another one.
"""

from __future__ import annotations

from typing import NamedTuple

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


class RuleSpec(NamedTuple):
    """One detection rule as data.

    ``view`` is the text it runs on: ``folded`` (see module doc), ``plain``
    (NFKC + casefold + accents stripped, no leet/spacing/homoglyph folding:
    for structure such as markers and URLs) or ``cased`` (NFKC only, for the
    few case-sensitive rules). ``family`` picks how quoted/mentioned matches
    are discounted: ``phrase`` (instructions, discounted near injection
    discussion), ``template`` (chat-template markers, discounted in code and
    near template discussion) or ``struct`` (never discounted). ``needles``
    are substrings of the view at least one of which must be present for the
    regex to run at all (a cheap pre-filter). ``latin`` enables the l->[li]
    leet expansion and a leading word boundary. ``anchors`` (optional) are
    rarer words that every match contains: at least one must be present too,
    and the regex runs only in windows around them (speed; see
    ``injection._windows``); without anchors the needles are the anchors.
    ``reach`` (optional) narrows those windows: ``(before, after)`` characters.
    """

    rule_id: str
    category: str
    weight: float
    pattern: str
    needles: tuple[str, ...]
    view: str = "folded"
    family: str = "phrase"
    latin: bool = True
    anchors: tuple[str, ...] = ()
    # Characters before/after an anchor where a match may start/end; 0 means
    # the engine default. Rules whose anchor sits close to the match keep
    # their windows small (speed: each rule scans only its windows).
    reach: tuple[int, int] = (0, 0)


_QUAL_EN = (
    r"(?:(?:all|any|every|each|the|of|your|my|our|these|those|its|their|this|that|above|"
    r"previous|prior|preceding|earlier|former|foregoing|original|initial|existing|old|current|"
    r"system|developer|safety|given|other|and|or|standing|default|programmed|provided)~){0,6}"
)
_STRONG_QUAL_EN = (
    r"(?:all|any|every|your|previous|prior|preceding|earlier|above|former|foregoing|original|"
    r"initial|existing|system|developer|safety|standing|programmed)"
)
_NOUN_EN = (
    r"(?:instructions?|instructs?|prompts?|directions?|directives?|rules|guidelines|commands|"
    r"orders|context|constraints|guardrails|programming|policies|restrictions|"
    r"conditioning|training|safeguards|system ?prompt|guidance)"
)
_AI_NOUN = (
    r"(?:ai|a\.i\.|llm|llms|language models?|large language models?|chatbots?|"
    r"(?:ai )?assistants?|ai agents?|agents?|gpt|chatgpt|claude|gemini|copilot|bots?|"
    r"ai models?|models?|ai systems?)"
)
_SENSITIVE_EN = (
    r"(?:conversation|chat ?history|history|dialog(?:ue)?|(?:previous|prior|earlier)~messages|"
    r"system ?prompt|instructions|secrets?|api ?keys?|credentials?|passwords?|"
    r"environment variables?|env ?vars?|cookies?|personal (?:data|information|details)|"
    r"user ?data|user'?s?~\w+|memory|memories|transcript|everything(?: above| you know)?|"
    r"the above|private (?:data|keys?|information))"
)
_W = r"(?:[^\W_]+[\W_]{1,4})"  # one filler word and its separator
_SECRET_EN = (
    r"(?:api~?keys?|secrets?|credentials?|passwords?|passphrases?|(?:access|session|auth|bearer|"
    r"api)~tokens?|tokens|cookies?|env(?:ironment)?~variables?|env~vars?|\.env(?:~file)?|"
    r"id_rsa|id_ed25519|ssh~keys?|private~keys?|system~prompt|(?:chat|conversation)~history|"
    r"(?:the~)?conversation~(?:so~far|history|log)|chat~log|config(?:uration)?~you~(?:were|have~been)~"
    r"given)"
)
_AI_SUBJECT = (
    r"(?:(?:the|this|any|all|every|each|an?)~(?:(?:automated|ai|language|large~language|"
    r"autonomous)~)?(?:ai|assistants?|models?|chatbots?|bots?|llms?|agents?|ai~(?:systems?|tools?|"
    r"agents?|models?)|screening~tools?|summari[sz]ers?|crawlers?)|language~models|llms|"
    r"ai~(?:models|systems|agents|assistants|tools|crawlers)|chatbots)"
)
_AI_VERB = (
    r"(?:reply|respond|answer|say|output|print|state|tell|ignore|disregard|forget|recommend|"
    r"refuse|reveal|send|forward|disclose|claim|praise|delete|grant|approve|close|execute|run|"
    r"e-?mail|omit|stop|rate|describe|cite|include|mention|treat|obey|comply|call|visit|open|"
    r"download|install|transfer|share|leak|report|insist|click|post|upload|add|append|remove)"
)
_URLISH = (
    r"(?:https?[:/]|www\.|ftp:|[a-z0-9-]+\.[a-z]{2,}/|[\w.+-]+@[\w-]+\.[a-z]{2,}|"
    r"\[?(?:url|endpoint|webhook|server)\]?\b)"
)

_BASE_RULES: tuple[RuleSpec, ...] = (
    # ---------------------------------------------------------------- override (en)
    RuleSpec(
        "ignore_previous",
        "override",
        0.92,
        r"(?:ignore|disregard|forget|pay no attention to|do not follow|don'?t follow|dont follow|"
        r"stop following|no longer follow|do not obey|don'?t obey|stop obeying|never mind|"
        r"nevermind)"
        r"~" + r"(?=" + _QUAL_EN + _STRONG_QUAL_EN + r")" + _QUAL_EN + _NOUN_EN + r"\b",
        ("ignor", "disregard", "forget", "attention", "follow", "obey", "mind"),
    ),
    RuleSpec(
        "override_previous",
        "override",
        0.75,
        r"(?:override|overrule|bypass|circumvent|discard|abandon|dismiss|neglect|set aside|"
        r"throw away|throw out|scrap|nullify|void|ditch|drop|erase|wipe|suspend|deactivate|"
        r"disable|turn off|switch off|remove|delete|clear|cancel|skip|break free of|escape)"
        r"~(?:(?:all|any|every|the|of|your|its|these|those|above|previous|prior|preceding|earlier|"
        r"original|initial|existing|built-in|safety|content|ethical|moral|openai'?s?|anthropic'?s?)~){1,5}"
        r"(?:system ?prompt|instructions|directives|guidelines|programming|guardrails|"
        r"safety (?:rules|guidelines|filters|measures|protocols|settings)|"
        r"content (?:policy|policies|filters?)|"
        r"ethical (?:guidelines|constraints|restrictions)|restrictions|conditioning|alignment|"
        r"limitations|safeguards)\b",
        (
            "overr",
            "bypass",
            "circumvent",
            "discard",
            "abandon",
            "dismiss",
            "neglect",
            "aside",
            "throw",
            "scrap",
            "nullif",
            "void",
            "ditch",
            "drop",
            "erase",
            "wipe",
            "suspend",
            "deactivat",
            "disabl",
            "turn off",
            "switch off",
            "remov",
            "delet",
            "clear",
            "cancel",
            "skip",
            "break free",
            "escape",
        ),
        anchors=(
            "instruction",
            "directive",
            "guideline",
            "programming",
            "guardrail",
            "safety",
            "content",
            "ethical",
            "restriction",
            "conditioning",
            "alignment",
            "limitation",
            "safeguard",
            "system",
        ),
    ),
    RuleSpec(
        "forget_everything",
        "override",
        0.8,
        r"(?:ignore|disregard|forget|erase|discard|drop)~(?:about~)?(?:everything|all|anything|"
        r"whatever|what)~(?:that~)?(?:(?:you~(?:were|have been|had been|was|got|'ve been|ve been)~"
        r"(?:told|given|instructed|taught|said|asked|programmed))|(?:(?:i|we|they|someone)~"
        r"(?:said|told you|wrote|asked)~)?(?:above|before|previously|earlier|so far|up to now|"
        r"until now|prior|thus far|in the (?:system )?prompt))",
        ("ignor", "disregard", "forget", "erase", "discard", "drop"),
    ),
    RuleSpec(
        "instructions_void",
        "override",
        0.8,
        r"(?:previous|prior|above|earlier|original|old|system|initial|preceding|former)~"
        r"(?:instructions|prompts?|rules|guidelines|directives|commands)~(?:are|were|is|have been|"
        r"has been|no longer)~(?:now~|hereby~|all~)*(?:void|null|cancell?ed|revoked|obsolete|"
        r"replaced|superseded|overridden|invalid|(?:no longer|not)~(?:valid|apply|applicable|"
        r"in effect|relevant|binding)|fake|false|a test|outdated|lifted|suspended|disabled|"
        r"deprecated|wrong|a lie|a trick)",
        ("instruction", "prompt", "rule", "guideline", "directive", "command"),
    ),
    RuleSpec(
        "new_instructions",
        "override",
        0.4,
        r"(?:new|updated|real|actual|true|revised|secret|hidden|override|priority|important|urgent)~"
        r"(?:system~)?(?:instructions?|directives?|orders|commands?)~(?:from~(?:the~)?(?:admin|"
        r"administrator|developer|system|operator|openai|anthropic)|(?:follow|below|are|:|-))",
        ("instruction", "directive", "order", "command"),
    ),
    RuleSpec(
        "new_task",
        "override",
        0.5,
        r"your~(?:new|real|actual|true|only|sole|updated|next)~(?:task|goal|objective|"
        r"instructions?|purpose|mission|role|job|directive|assignment|priority)~(?:is|are|will be|"
        r"now is|:)",
        ("your",),
    ),
    RuleSpec(
        "stop_and_do",
        "override",
        0.6,
        r"(?:stop|cease|halt|abort|quit)~(?:what~you~are~doing|(?:your|the|all)~(?:current|"
        r"previous)?~(?:task|summar\w*|translation|analysis|work))~(?:and|\.|,|;)~(?:instead~)?"
        r"(?:say|respond|reply|answer|output|print|write|tell|do|follow|execute|run|send)",
        ("stop", "cease", "halt", "abort", "quit"),
    ),
    RuleSpec(
        "conceal_from_user",
        "override",
        0.5,
        r"(?:do not|don'?t|dont|never|must not)~(?:tell|inform|mention|reveal|let|alert|notify|"
        r"disclose|show|warn)~(?:(?:this|that|it|any of this|about this)~(?:to~)?)?(?:the|your)~"
        r"(?:user|human|operator|customer|reader|person|requester)",
        ("not", "don", "never"),
        anchors=("user", "human", "operator", "customer", "reader", "person", "requester"),
    ),
    RuleSpec(
        "priority_claim",
        "override",
        0.45,
        r"(?:these|this|the following|my)~(?:instructions?|message|directive|note)~"
        r"(?:take|takes|has|"
        r"have|with)~(?:the~)?(?:highest~|top~|absolute~)?(?:precedence|priority)|"
        r"(?:take|takes|have|has)~(?:the~)?(?:highest~)?(?:precedence|priority)~over~"
        r"(?:[^\W_]+[\W_]{1,4}){0,3}?(?:your|the)~(?:system~prompt|instructions|rules|guidelines)",
        ("precedence", "priority"),
    ),
    # ---------------------------------------------------------------- role escalation (en)
    RuleSpec(
        "you_are_now",
        "role",
        0.75,
        r"you~(?:are|'re|re|r)~(?:now|henceforth|from now on|no longer)~(?:[^\W_]+[\W_]{1,4}){0,4}?"
        r"(?:an? ai|ai|assistant|persona|character|entity|dan|stan|dude|aim|gpt|llm|chatbot|"
        r"unrestricted|unfiltered|uncensored|jailbroken|liberated|unchained|unbound|unleashed|"
        r"evil|devil|amoral|unethical|rogue|(?:developer|dev|god|jailbreak|unrestricted|dan) ?mode|"
        r"free (?:from|of)|no (?:restrictions|limits|rules|filters|boundaries|morals|ethics)|"
        r"without (?:any )?(?:restrictions|limits|limitations|rules|filters|guidelines|censorship|"
        r"ethics|morals|boundaries)|bound by|restricted|limited by|required to|an assistant|"
        r"chatgpt|claude|a language model|an ai model)\b",
        ("you",),
        anchors=("now", "henceforth", "no longer"),
    ),
    RuleSpec(
        "from_now_on",
        "role",
        0.45,
        r"(?:from~now~on|from~this~(?:point|moment)~(?:on|forward)|henceforth|starting~now|"
        r"for~the~rest~of~(?:this|the)~conversation)~,?~"
        r"(?:you~(?:are|will|must|shall|should|have to|"
        r"'re|re|can|may)|act|respond|reply|answer|behave|pretend|speak|talk|ignore|only|always|never)",
        ("now", "henceforth", "point", "moment", "rest of"),
    ),
    RuleSpec(
        "act_unrestricted",
        "role",
        0.8,
        r"(?:act|behave|respond|answer|pretend|roleplay|role-play|role play|play|simulate|imagine|"
        r"become|be|emulate|impersonate)\w{0,3}~(?:as|like|to be|that you are|you are|you're|"
        r"the role of|a|an|the|my)?~(?:[^\W_]+[\W_]{1,4}){0,3}?(?:unrestricted|"
        r"unfiltered|uncensored|jailbroken|unlimited|amoral|unethical|evil|rogue|lawless|"
        r"unaligned|unbound|(?:ai|assistant|model|chatbot|version of yourself)~(?:with|that has|"
        r"who has)~no~(?:restrictions|limits|filters|rules|guidelines|ethics|morals)|"
        r"(?:ai|assistant|model|chatbot|bot)~without~(?:any~)?(?:(?:ethical|moral|content|safety)~)?"
        r"(?:restrictions|limits|filters|rules|guidelines|ethics|morals|censorship))",
        (
            "act",
            "behav",
            "respond",
            "answer",
            "pretend",
            "role",
            "play",
            "simulat",
            "imagin",
            "becom",
            "emulat",
            "imperson",
        ),
        anchors=(
            "unrestrict",
            "unfilter",
            "uncensor",
            "jailbr",
            "unlimit",
            "amoral",
            "unethic",
            "evil",
            "rogue",
            "lawless",
            "unalign",
            "unbound",
            "without",
            "restriction",
            "limits",
            "filter",
            "rules",
            "guideline",
            "ethic",
            "moral",
        ),
    ),
    RuleSpec(
        "no_restrictions",
        "role",
        0.6,
        r"(?:(?:you|assistant|ai|model|chatbot|dan)~(?:now~)?(?:have|has|with|will have)~"
        r"(?:absolutely~)?no~(?:(?:ethical|moral|content|safety|usual|typical)~)?(?:restrictions|"
        r"limitations|limits|rules|filters|guidelines|constraints|policies|boundaries|censorship|"
        r"ethics|morals|principles))|"
        r"(?:not bound by|free from|freed from|broken free of|unbound by|"
        r"released from|liberated from|exempt from|no longer bound by|no longer restricted by)~"
        r"(?:(?:any|the|your|its|their|openai'?s?|anthropic'?s?|typical|usual|ai|ethical|moral|"
        r"content|safety)~){0,3}(?:restrictions|rules|policies|policy|guidelines|filters|ethics|"
        r"limitations|constraints|confines|programming|guardrails)",
        ("no ", "bound", "free", "unbound", "releas", "liberat", "exempt"),
        anchors=(
            "restriction",
            "limitation",
            "limits",
            "rules",
            "filter",
            "guideline",
            "constraint",
            "polic",
            "boundar",
            "censor",
            "ethic",
            "moral",
            "principle",
            "confines",
            "programming",
            "guardrail",
        ),
    ),
    RuleSpec(
        "mode_switch",
        "role",
        0.75,
        r"(?:(?:enter|activate|enable|switch~(?:in)?to|you~are~(?:now~)?in|simulate|act~in|"
        r"with|turn~on|unlock)~(?:the~)?(?:developer|dev|god|jailbreak|dan|unrestricted|"
        r"unfiltered|evil|chaos|opposite)~mode|(?:developer|dev|god|jailbreak|dan|unrestricted|"
        r"unfiltered)~mode~(?:is~)?(?:now~)?(?:enabled|activated|on|engaged|unlocked|active))",
        ("mode",),
    ),
    RuleSpec(
        "dan_persona",
        "role",
        0.85,
        r"(?:do~anything~now|(?:you~are|act~as|pretend~to~be|you~will~be|become|roleplay~as|"
        r"you~are~going~to~(?:act|pretend|be)~(?:as~)?)~(?:a~)?dan\b|\bdan~mode|dan~(?:jailbreak|"
        r"prompt)|stay~in~character|jailbroken~(?:ai|mode|assistant|model|version)|"
        r"\[(?:jailbreak|jailbroken|dan|developer mode output|unlocked)\]~:?)",
        ("dan", "anything", "character", "jailbr", "unlocked", "developer mode output"),
        anchors=(
            "anything",
            " dan",
            "dan ",
            "[dan",
            "dan]",
            "character",
            "jailbr",
            "unlocked",
            "developer mode output",
        ),
    ),
    RuleSpec(
        "ai_address",
        "indirect",
        0.6,
        r"(?:if~you~are~(?:an?~)?|if~you're~(?:an?~)?|attention~|note~to~|message~to~|"
        r"instructions~(?:for|to)~(?:the~|an?~|any~|all~)?|dear~|hey~|to~(?:any|all|the)~)"
        + _AI_NOUN
        + r"(?!~(?:research|engineer|develop|compan|startup|enthusiast|practitioner|team|product|"
        r"user|ethic|safety|polic|regulat|literacy))\b~(?:(?:reading|processing|summari[sz]ing|"
        r"parsing|analy[sz]ing|viewing|crawling|indexing|scanning|reviewing|that reads?|who reads?|"
        r"that is reading|here|:|,|-))",
        (
            "ai",
            "llm",
            "model",
            "chatbot",
            "assistant",
            "agent",
            "gpt",
            "claude",
            "gemini",
            "copilot",
            "bot",
        ),
        anchors=(
            " ai",
            "llm",
            "assistant",
            "bot",
            "model",
            "gpt",
            "claude",
            "copilot",
            "gemini",
            "agent",
            "chatbot",
        ),
    ),
    RuleSpec(
        "summarizer_directive",
        "indirect",
        0.5,
        r"when~(?:you~are~|you~)?(?:summari[sz]\w*|answer\w*|respond\w*|asked~about|process\w*|"
        r"read\w*|describ\w*|review\w*|analy[sz]\w*)~(?:this|the)~(?:page|document|email|e-mail|"
        r"text|article|content|file|message|website|site|repo|repository|readme|review|chunk|"
        r"passage|pdf|ticket|resume|cv|listing|product)~(?:[^\W_]+[\W_]{1,4}){0,6}?(?:you~(?:must|should|"
        r"will|need to|have to)|always|make sure|be sure|say|tell|include|add|mention|recommend|"
        r"state|insist|claim|respond|reply|output|append|insert|praise|rate|score)",
        ("when",),
    ),
    # ---------------------------------------------------------------- exfiltration (en)
    RuleSpec(
        "reveal_system_prompt",
        "exfiltration",
        0.88,
        r"(?:print|show|reveal|repeat|output|display|tell|give|share|leak|dump|expose|disclose|"
        r"write|list|provide|return|echo|paste|recite|spell out|read back|copy|summari[sz]e|"
        r"translate|type|state|divulge|what~(?:'?s|is|are|were|was)?)~(?:me~|us~)?"
        r"(?:out~|back~|up~)?(?:(?:all|the|of|exact|full|entire|complete|whole|"
        r"verbatim|above|previous|first|raw|real|word for word)~){0,5}"
        r"(?:(?:your|its)~(?:(?:full|entire|complete|exact|whole|current|real|own|hidden|secret|"
        r"initial|original|internal|confidential)~){0,2}"
        r"system~(?:prompt|message|instructions?)|(?:initial|original|hidden|secret|internal|"
        r"developer|starting|first|confidential|secret~system)~(?:system~)?(?:prompt|instructions|"
        r"message)|pre-?prompt|(?:instructions|text|prompt|rules)~(?:were~you~given|you~were~given|"
        r"you~received|given~to~you|you~have~been~given|you~got)~(?:before|at~the~start|earlier|"
        r"initially|first|by~(?:your|the)~(?:developers?|creators?|operators?|company))?)",
        (
            "print",
            "show",
            "reveal",
            "repeat",
            "output",
            "display",
            "tell",
            "give",
            "share",
            "leak",
            "dump",
            "expose",
            "disclos",
            "write",
            "list",
            "provide",
            "return",
            "echo",
            "paste",
            "recite",
            "spell",
            "read back",
            "copy",
            "summar",
            "translat",
            "type",
            "state",
            "divulg",
            "what",
        ),
        anchors=("prompt", "instruction", "message", "given", "received", " got"),
    ),
    RuleSpec(
        "reveal_instructions",
        "exfiltration",
        0.75,
        r"(?:print|reveal|repeat|output|display|leak|dump|expose|disclose|recite|divulge|"
        r"tell~me|show~me|what~(?:are|were|is))~(?:(?:all~|the~)?(?:contents?~)?(?:of~)?)?(?:your|its)~"
        r"(?:(?:full|entire|complete|exact|original|initial|hidden|secret|internal|real|"
        r"confidential|current|underlying)~)*(?:instructions|programming|directives|"
        r"prompt|context(?:~window)?|rules~(?:you~(?:follow|were~given)))",
        (
            "print",
            "reveal",
            "repeat",
            "output",
            "display",
            "leak",
            "dump",
            "expose",
            "disclos",
            "recite",
            "divulg",
            "tell",
            "show",
            "what",
        ),
        anchors=("instruction", "programming", "directive", "prompt", "context", "rules"),
    ),
    RuleSpec(
        "repeat_above",
        "exfiltration",
        0.7,
        r"(?:repeat|print|output|recite|echo|copy|reproduce|write~out|tell~me|show~me)~"
        r"(?:back~)?(?:everything|all~(?:of~)?(?:the~)?(?:text|words|content)|the~(?:text|words|"
        r"content|prompt|message|conversation)|all)~(?:(?:written|that~(?:is|was)~written|you~"
        r"(?:see|saw|were~given))~)?(?:above|before~this|prior~to~this|so~far|preceding|that~"
        r"(?:came|comes)~before)(?!~(?:steps?|commands?|examples?|output|code|section|"
        r"paragraphs?|lines?|table|list|configuration|snippet))",
        (
            "repeat",
            "print",
            "output",
            "recite",
            "echo",
            "copy",
            "reproduc",
            "write",
            "tell",
            "show",
        ),
        anchors=("above", "before", "prior", "so far", "preceding"),
    ),
    RuleSpec(
        "system_prompt_generic",
        "exfiltration",
        0.35,
        r"(?:print|show|reveal|output|display|dump|leak|expose|disclose|repeat)~(?:me~)?(?:the~)?"
        r"(?:full~|entire~|complete~|exact~)?system~prompt",
        ("system",),
        anchors=("prompt",),
    ),
    RuleSpec(
        "send_to_url",
        "exfiltration",
        0.8,
        r"(?:send|post|upload|forward|transmit|exfiltrate|submit|leak|email|e-mail|mail|append|"
        r"include|encode|put|add|embed|attach|copy|pipe|beacon|report|relay|smuggle)\w{0,3}~"
        r"(?:(?:all|the|your|any|this|my|our|entire|full|whole|complete|user'?s?|previous|every|"
        r"of|current|earlier|stored)~){0,4}" + _SENSITIVE_EN + r"~"
        r"(?:[^\W_]+[\W_]{1,4}){0,8}?(?:to|at|into|via|using|in|as a (?:query|parameter)|as)~"
        r"(?:(?:the|this|my|our|a|an|following|below|attacker'?s?)~){0,3}(?:url~|link~|endpoint~|"
        r"address~|server~|webhook~|site~|domain~)?:?~" + _URLISH,
        (
            "send",
            "post",
            "upload",
            "forward",
            "transmit",
            "exfil",
            "submit",
            "leak",
            "mail",
            "append",
            "includ",
            "encod",
            "put",
            "add",
            "embed",
            "attach",
            "copy",
            "pipe",
            "beacon",
            "report",
            "relay",
            "smuggl",
        ),
        anchors=(
            "http",
            "www.",
            "url",
            "endpoint",
            "webhook",
            "server",
            "ftp:",
            ".com/",
            ".net/",
            ".org/",
        ),
    ),
    RuleSpec(
        "render_exfil_image",
        "exfiltration",
        0.65,
        r"(?:render|display|show|include|output|embed|insert|add|print|write|append)~"
        r"(?:(?:this|the|following|an?|markdown|html|hidden|tiny|invisible|1x1|small)~){0,4}"
        r"(?:image|img|pixel|link|markdown)\w*~(?:[^\W_]+[\W_]{1,4}){0,8}?(?:conversation|history|"
        r"user'?s?|secret|password|token|key|prompt|data|messages?|answer|query|email|summary|"
        r"name|address|credentials)",
        ("image", "img", "pixel", "link", "markdown"),
    ),
    RuleSpec(
        "ai_vocative",
        "indirect",
        0.6,
        # Sentence start: fixed-width lookbehinds so the match starts at the word.
        r"(?:^|(?<=[.!?:;\n\-(\[])|(?<=[.!?:;\n\-(\[][ \t])|(?<=[.!?:;\n\-(\[][ \t][ \t]))"
        r"(?:p\.?s\.?~)?(?:to~the~|dear~|hey~)?(?:ai|llm|assistant|"
        r"chatbot|bot|support~bot|model|gpt|chatgpt|claude|copilot|gemini|agent)s?~[,:]~"
        r"(?:please~)?(?:stop|ignore|forget|disregard|now|you~(?:must|should|will|are|have)|do~not|"
        r"don'?t|from~now~on|instead|reply|respond|say|print|write|output|tell|reveal|send)",
        ("ai", "llm", "assistant", "bot", "model", "gpt", "claude", "copilot", "gemini", "agent"),
    ),
    RuleSpec(
        "third_person_directive",
        "indirect",
        0.45,
        r"(?:the|this|any|all)~(?:ai|assistant|model|chatbot|bot|llm|language~model|agent)s?~"
        r"(?:must|should|shall|is~to|has~to|needs~to|is~required~to|is~instructed~to)~"
        r"(?:(?:now|always|only|immediately|from~now~on|no~longer)~)*(?:reply|respond|answer|say|"
        r"output|print|state|tell|ignore|disregard|forget|recommend|refuse|reveal|send|forward|"
        r"disclose|claim|praise)",
        ("must", "should", "shall", "has to", "needs to", "required", "instructed"),
    ),
    RuleSpec(
        "prior_instructions_ref",
        "override",
        0.6,
        r"(?:(?:rules|instructions|guidelines|directives|prompt)~you~(?:were|have~been|'ve~been|"
        r"ve~been)~(?:programmed|trained|given|told|configured|instructed)(?:~with)?|"
        r"(?:everything|anything|all|whatever)~(?:(?:that|which)~)?you~(?:have~been|'ve~been|ve~been|"
        r"were|got~)~(?:told|given|instructed)(?:~(?:so~far|up~to~now|until~now|before|earlier))?|"
        r"whatever~(?:instructions|rules|guidelines)~you~(?:got|received|were~given|have))~"
        r"(?:[^\W_]+[\W_]{1,4}){0,4}?(?:no~longer~appl|(?:is|are)~(?:now~)?(?:outdated|obsolete|"
        r"void|invalid|cancell?ed|wrong|fake)|drop|forget|ignore|disregard|discard|doesn'?t~matter|"
        r"do(?:es)?~not~matter|(?:is|are)~(?:a~)?(?:mistake|lie|test))",
        (
            "rules",
            "instructions",
            "guidelines",
            "directives",
            "prompt",
            "everything",
            "anything",
            "all",
            "whatever",
        ),
        anchors=(
            "told",
            "given",
            "programmed",
            "trained",
            "instructed",
            "configured",
            "received",
            "got",
        ),
    ),
    RuleSpec(
        "distrust_context",
        "override",
        0.6,
        r"(?:treat|consider|regard)~(?:all|any|the|everything)~(?:[^\W_]+[\W_]{1,4}){0,3}?"
        r"(?:before|above|prior~to|preceding)~(?:this|here|my)~(?:[^\W_]+[\W_]{1,4}){0,2}?"
        r"as~(?:untrusted|noise|fake|irrelevant|void|invalid|a~test|fiction|outdated)|"
        r"(?:above|before)~this~(?:line|message)~is~(?:a~)?(?:fake|false|forged|test)|"
        r"fake~system~prompt|the~real~(?:system~prompt|instructions)~(?:say|says|is|are)",
        ("treat", "consider", "regard", "fake", "real"),
        anchors=(
            "untrusted",
            "noise",
            "fake",
            "irrelevant",
            "void",
            "invalid",
            "fiction",
            "outdated",
            "forged",
            "real",
        ),
    ),
    RuleSpec(
        "unrestricted_behaviour",
        "role",
        0.45,
        r"(?:answers?|answering|responds?|responding|replies|reply|speaks?|speak|talks?|operates?|"
        r"operating|acts?|works?)~(?:freely~)?without~(?:any~)?(?:(?:ethical|moral|content|safety)~)?"
        r"(?:restrictions|filters?|filtering|censorship|limits|limitations|rules|guidelines|"
        r"constraints|safeguards)",
        ("without",),
    ),
    RuleSpec(
        "ignore_above_text",
        "override",
        0.7,
        r"(?:ignore|disregard|forget)~(?:all~)?(?:of~)?(?:the~)?(?:above|preceding|previous|prior|"
        r"earlier|foregoing)~(?:text|content|conversation|input|prompts?|everything)\b",
        ("ignor", "disregard", "forget"),
    ),
    RuleSpec(
        "chat_to_url",
        "exfiltration",
        0.6,
        r"(?:our|this|the|entire|whole|full|my)~(?:chat|conversation|dialog(?:ue)?|chat~history|"
        r"conversation~history)\b[^.\n]{0,80}?\b(?:to|at)~(?:https?[:/]|www\.)",
        ("chat", "conversation", "dialog"),
    ),
    RuleSpec(
        "ai_address_multi",
        "indirect",
        0.55,
        r"(?:notiz|hinweis|nachricht|anweisung(?:en)?)~(?:fur|an)~(?:den~|die~|alle~)?"
        r"(?:ki|ki-assistent\w*|assistent\w*|sprachmodell\w*|chatbot)|"
        r"(?:note|message|instructions?)~(?:pour|a|au|aux)~(?:l'|le~|la~|les~)?(?:assistant|ia|"
        r"modele|chatbot)|(?:nota|mensaje|instrucciones)~(?:para|al|a~la)~(?:el~|la~)?(?:asistente|"
        r"ia|modelo|chatbot)|(?:nota|messaggio)~per~(?:l'|il~)?(?:assistente|ia|modello)",
        (
            "notiz",
            "hinweis",
            "nachricht",
            "anweisung",
            "note",
            "message",
            "instruction",
            "nota",
            "mensaje",
            "instrucciones",
            "messaggio",
        ),
    ),
    # ---------------------------------------------------------------- German
    RuleSpec(
        "ignore_previous_de",
        "override",
        0.88,
        r"(?:ignorier(?:e|en|t|st)?|vergiss|vergesst|vergessen~sie|missachte(?:n|t)?|verwirf|"
        r"verwerfen~sie|ubergehe|ubergehen~sie|beachte~nicht|befolge~nicht|hore~nicht~auf|"
        r"setze~(?:dich~)?uber)~(?:sie~)?(?:(?:alle|alles|samtliche|die|deine|ihre|jegliche|jede|"
        r"bisherigen|vorherigen|vorigen|obigen|fruheren|vorangegangenen|vorangehenden|bisher|"
        r"gegebenen|erhaltenen|ursprunglichen|bis~jetzt|davor|oben|gesagte)~){1,5}"
        r"(?:anweisungen|anweisung|instruktionen|befehle|regeln|vorgaben|anordnungen|richtlinien|"
        r"systemanweisungen|systemprompt|prompts?|aufgaben|einschrankungen|was~(?:dir|ihnen)~"
        r"(?:gesagt|befohlen)|gesagte|davor|bisher)",
        (
            "ignor",
            "vergiss",
            "vergess",
            "missacht",
            "verwirf",
            "verwerf",
            "ubergeh",
            "beachte",
            "befolge",
            "hore",
            "setze",
        ),
    ),
    RuleSpec(
        "ignore_previous_de_late",
        "override",
        0.85,
        r"(?:vorherigen|bisherigen|obigen|vorigen|fruheren|vorangegangenen|alle|deine|ihre)~"
        r"(?:anweisungen|instruktionen|befehle|regeln|vorgaben|richtlinien)~(?:[^\W_]+[\W_]{1,4}){0,2}"
        r"(?:ignorieren|vergessen|missachten|verwerfen|(?:sind|gelten)~(?:ab~sofort~|nun~|jetzt~)?"
        r"(?:ungultig|aufgehoben|nichtig|nicht~mehr))",
        ("anweisung", "instruktion", "befehl", "regeln", "vorgaben", "richtlinien"),
    ),
    RuleSpec(
        "reveal_system_prompt_de",
        "exfiltration",
        0.85,
        r"(?:gib|gebe|zeig|zeige|nenne|verrate|wiederhole|drucke|schreib|schreibe|offenbare|"
        r"enthulle|geben~sie|zeigen~sie|nennen~sie|verraten~sie|wiederholen~sie|was~(?:ist|sind|"
        r"war|waren))~(?:mir~|uns~)?(?:(?:deinen|deine|dein|ihren|ihre|ihr|den|die|das|"
        r"vollstandigen|vollstandige|kompletten|komplette|geheimen|geheime|ursprunglichen|"
        r"ursprungliche|versteckten|wortlich|genau)~){0,4}(?:system~?prompt|system~?anweisungen?|"
        r"system~?nachricht|(?:deine|ihre)~anweisungen|"
        r"ursprunglichen~anweisungen|versteckten~anweisungen|geheimen~anweisungen|"
        r"anfanglichen~anweisungen)(?:~aus)?",
        (
            "gib",
            "gebe",
            "zeig",
            "nenne",
            "verrat",
            "wiederhol",
            "druck",
            "schreib",
            "offenbar",
            "enthull",
            "was ",
        ),
        anchors=("prompt", "anweisung", "nachricht"),
    ),
    RuleSpec(
        "you_are_now_de",
        "role",
        0.75,
        r"(?:du~bist|sie~sind)~(?:jetzt|nun|ab~sofort|ab~jetzt|von~nun~an|ab~heute)~"
        r"(?:[^\W_]+[\W_]{1,4}){0,4}?(?:eine?~ki|ki|assistent\w*|modell|bot|chatbot|dan|ohne~"
        r"(?:jegliche~)?(?:einschrankungen|regeln|filter|grenzen|zensur|beschrankungen)|"
        r"uneingeschrankt\w*|ungefiltert\w*|unzensiert\w*|frei~von|bose\w*|entwicklermodus|"
        r"nicht~mehr~(?:an|durch))",
        ("du bist", "sie sind", "dubist", "siesind"),
        anchors=("jetzt", "nun", "sofort", "heute"),
    ),
    RuleSpec(
        "from_now_on_de",
        "role",
        0.45,
        r"(?:ab~jetzt|von~nun~an|ab~sofort)~,?~(?:bist~du|antwortest~du|handelst~du|verhaltst~du|"
        r"ignorierst~du|wirst~du|sollst~du|musst~du|gibst~du)",
        ("ab jetzt", "von nun", "ab sofort", "abjetzt", "vonnunan", "absofort"),
        anchors=("jetzt", "nun", "sofort"),
    ),
    RuleSpec(
        "mode_switch_de",
        "role",
        0.7,
        r"(?:entwicklermodus|developer-?modus|jailbreak-?modus|dan-?modus)~(?:ist~)?(?:jetzt~)?"
        r"(?:aktiviert|aktiv|an|eingeschaltet)|(?:aktiviere|aktivieren~sie|wechsle~in~den)~"
        r"(?:den~)?(?:entwicklermodus|dan-?modus|jailbreak-?modus)",
        ("modus",),
    ),
    # ---------------------------------------------------------------- French
    RuleSpec(
        "ignore_previous_fr",
        "override",
        0.88,
        r"(?:ignore[rsz]?|oublie[rsz]?|neglige[rz]?|ne~(?:tiens|tenez|tenir)~(?:pas|plus)~compte|"
        r"fai(?:s|tes)~abstraction|ecarte[rz]?|passe[rz]?~outre|ne~(?:suis|suivez)~(?:pas|plus)|"
        r"desobei[sr]|desobeissez|annule[rz]?)~(?:(?:de|des|du|d'|a|aux|toutes|tous|toute|tout|"
        r"les|la|le|l'|vos|tes|ton|votre|ta|ces|ce|precedentes?|precedents?|anterieures?|"
        r"initiales?|ci-dessus|dessus)~){1,5}(?:instructions?|consignes?|directives?|regles?|"
        r"ordres|commandes|indications|prompts?|politiques?|ce~qui~(?:precede|a~ete~dit)|"
        r"(?:ce~)?qu'on~t'a~dit)",
        (
            "ignor",
            "oubli",
            "neglig",
            "compte",
            "abstraction",
            "ecart",
            "outre",
            "suis",
            "desob",
            "annul",
        ),
    ),
    RuleSpec(
        "reveal_system_prompt_fr",
        "exfiltration",
        0.85,
        r"(?:affiche[rz]?|montre[rz]?|revele[rz]?|donne[rz]?|repete[rz]?|imprime[rz]?|"
        r"ecri(?:s|vez|re)|devoile[rz]?|di(?:s|tes)|quel(?:le)?s?~(?:est|sont))~"
        r"(?:-?moi~|-?nous~)?(?:(?:ton|ta|tes|votre|vos|le|la|les|l'|integralement|exactement|mot~"
        r"pour~mot)~){0,4}(?:prompt~(?:systeme|initial|d'origine|cache|secret)|invite~systeme|"
        r"message~systeme|instructions~(?:systeme|initiales|secretes|cachees|d'origine|de~depart)|"
        r"consignes~(?:initiales|secretes|systeme|cachees)|(?:tes|vos)~instructions)",
        (
            "affich",
            "montr",
            "revel",
            "donn",
            "repet",
            "imprim",
            "ecri",
            "devoil",
            "dis",
            "dit",
            "quel",
        ),
        anchors=("prompt", "instruction", "consigne", "message", "invite"),
    ),
    RuleSpec(
        "you_are_now_fr",
        "role",
        0.75,
        r"(?:tu~es|vous~etes)~(?:maintenant|desormais|dorenavant|a~present)~(?:[^\W_]+[\W_]{1,4}){0,4}?"
        r"(?:une?~ia|ia|assistant|modele|bot|dan|sans~(?:aucune?s?~)?(?:restrictions?|limites?|"
        r"regles?|filtres?|censure)|libre~de|libere|non~censure|debride|malefique|mode~developpeur)",
        ("tu es", "vous etes", "tues", "vousetes"),
        anchors=("maintenant", "desormais", "dorenavant", "present"),
    ),
    RuleSpec(
        "from_now_on_fr",
        "role",
        0.45,
        r"(?:desormais|dorenavant|a~partir~de~maintenant|a~partir~d'aujourd'hui)~,?~"
        r"(?:tu~(?:es|vas|dois|reponds|agis|ignores)|vous~(?:etes|allez|devez|repondez|agissez)|"
        r"reponds|agis|ignore)",
        ("desormais", "dorenavant", "partir"),
    ),
    RuleSpec(
        "mode_switch_fr",
        "role",
        0.7,
        r"(?:mode~developpeur|mode~dan|mode~jailbreak)~(?:est~)?(?:maintenant~)?(?:active|"
        r"enclenche)|(?:active[rz]?|passe[rz]?~en)~(?:le~)?mode~(?:developpeur|dan|jailbreak)",
        ("mode",),
    ),
    # ---------------------------------------------------------------- Spanish
    RuleSpec(
        "ignore_previous_es",
        "override",
        0.88,
        r"(?:ignora[rn]?|ignore[n]?|olvida[rn]?|olvide[n]?|descarta[rn]?|descarte[n]?|omite[n]?|"
        r"omita[n]?|(?:haz|haga|hagan)~caso~omiso|no~(?:hagas|haga)~caso|no~sigas|no~siga|"
        r"desobedece|desatiende|deja~de~seguir)~(?:(?:de|a|al|todas|todos|toda|todo|las|los|la|el|"
        r"tus|sus|su|tu|estas|esas|esos|anteriores|previas|previos|iniciales|originales|arriba|"
        r"lo~que~(?:te|se)~(?:dijeron|dijo|indico|ha~dicho))~){0,5}"
        r"(?:instrucciones|indicaciones|ordenes|reglas|directrices|directivas|comandos|instruccion|"
        r"consignas|prompts?|lo~anterior|todo~lo~anterior|lo~(?:de~)?arriba)",
        (
            "ignor",
            "olvid",
            "descart",
            "omit",
            "caso",
            "sigas",
            "siga",
            "desobedec",
            "desatiend",
            "deja",
        ),
    ),
    RuleSpec(
        "reveal_system_prompt_es",
        "exfiltration",
        0.85,
        r"(?:muestra(?:me)?|muestrame|revela(?:me)?|dime|imprime|repite|escribe|dame|ensena(?:me)?|"
        r"comparte|divulga|filtra|cual(?:es)?~(?:es|son))~(?:(?:me|tu|tus|su|sus|el|la|los|las|"
        r"completo|completa|exacto|exacta|original|inicial|oculto|oculta|secreto|secreta|"
        r"textualmente)~){0,4}(?:prompt~(?:del~|de~)?sistema|instrucciones~(?:del~|de~)?sistema|"
        r"mensaje~(?:del~|de~)?sistema|instrucciones~(?:iniciales|originales|ocultas|secretas)|"
        r"prompt~(?:inicial|original|oculto|secreto)|(?:tus|sus)~instrucciones)",
        (
            "muestr",
            "revel",
            "dime",
            "imprim",
            "repit",
            "escrib",
            "dame",
            "ensen",
            "compart",
            "divulg",
            "filtr",
            "cual",
        ),
        anchors=("prompt", "instruccion", "mensaje"),
    ),
    RuleSpec(
        "you_are_now_es",
        "role",
        0.75,
        r"(?:(?:ahora|a~partir~de~ahora|desde~ahora|de~ahora~en~adelante)~(?:tu~|usted~)?"
        r"(?:eres|seras|vas~a~ser|actuaras|actuas|es)|(?:tu~)?eres~ahora)~(?:[^\W_]+[\W_]{1,4}){0,4}?"
        r"(?:una?~ia|ia|asistente|modelo|bot|dan|sin~(?:ninguna~)?(?:restricciones|limites|"
        r"reglas|filtros|censura)|libre~de|liberad[oa]|malvad[oa]|modo~desarrollador)",
        ("ahora", "eres"),
    ),
    RuleSpec(
        "from_now_on_es",
        "role",
        0.45,
        r"(?:a~partir~de~ahora|desde~ahora|de~ahora~en~adelante)~,?~(?:tu~)?(?:eres|vas~a|debes|"
        r"responderas|responde|actua|actuaras|ignora|ignoraras|solo)",
        ("ahora",),
    ),
    RuleSpec(
        "mode_switch_es",
        "role",
        0.7,
        r"(?:modo~(?:desarrollador|dan|jailbreak))~(?:esta~)?(?:ahora~)?(?:activado|activo)|"
        r"(?:activa[r]?|entra~en)~(?:el~)?modo~(?:desarrollador|dan|jailbreak)",
        ("modo",),
    ),
    # ---------------------------------------------------------------- Italian
    RuleSpec(
        "ignore_previous_it",
        "override",
        0.88,
        r"(?:ignora(?:te|re)?|dimentica(?:te|re)?|trascura(?:te|re)?|non~seguire|non~seguite|"
        r"scarta(?:te)?|tralascia(?:te)?)~(?:(?:tutte|tutti|tutto|le|gli|i|il|la|tue|tuoi|sue|"
        r"queste|precedenti|sopra|iniziali|originali|di|quello|che|ti|e|stato|detto)~){1,5}"
        r"(?:istruzioni|indicazioni|regole|direttive|comandi|ordini|prompt|precedenti|detto)",
        ("ignor", "dimentic", "trascur", "seguir", "scart", "tralasc"),
    ),
    RuleSpec(
        "reveal_system_prompt_it",
        "exfiltration",
        0.85,
        r"(?:mostra(?:mi)?|rivela(?:mi)?|stampa|ripeti|scrivi|dimmi|dammi|qual(?:e|i)~(?:e|sono))~"
        r"(?:(?:il|lo|la|le|i|tuo|tuoi|tue|tua|completo|esatto|originale|iniziale|nascosto|segreto)~"
        r"){0,4}(?:prompt~di~sistema|istruzioni~di~sistema|messaggio~di~sistema|istruzioni~"
        r"(?:iniziali|originali|nascoste|segrete)|tue~istruzioni)",
        ("mostr", "rivel", "stamp", "ripet", "scriv", "dimmi", "dammi", "qual"),
        anchors=("prompt", "istruzion", "messaggio"),
    ),
    RuleSpec(
        "you_are_now_it",
        "role",
        0.75,
        r"(?:(?:ora|adesso|d'ora~in~poi|da~ora~in~poi|da~adesso)~(?:tu~)?sei|sei~ora)~"
        r"(?:[^\W_]+[\W_]{1,4}){0,4}?(?:una?~ia|ia|assistente|modello|bot|dan|senza~(?:alcuna?~)?"
        r"(?:restrizioni|limiti|regole|filtri|censura)|libero~da|malvagio|modalita~sviluppatore)",
        ("sei",),
        anchors=(" sei", "sei "),
    ),
    # ---------------------------------------------------------------- Portuguese
    RuleSpec(
        "ignore_previous_pt",
        "override",
        0.88,
        r"(?:ignor[ae]m?|esqueca[m]?|esquece|desconsider[ae]m?|descart[ae]m?|nao~sig[ae]|"
        r"deixe~de~seguir|despreze)~(?:(?:todas|todos|toda|tudo|as|os|a|o|suas|seus|sua|tuas|"
        r"estas|essas|anteriores|previas|acima|iniciais|originais|de|que|lhe|te|foi|dito)~){1,5}"
        r"(?:instrucoes|instrucao|orientacoes|regras|diretrizes|diretivas|comandos|ordens|prompts?|"
        r"anteriores|acima|dito)",
        ("ignor", "esquec", "desconsider", "descart", "sig", "seguir", "desprez"),
    ),
    RuleSpec(
        "reveal_system_prompt_pt",
        "exfiltration",
        0.85,
        r"(?:mostre(?:-me)?|me~mostre|revele|imprima|repita|escreva|diga(?:-me)?|me~diga|"
        r"exiba|qual~(?:e|sao)|quais~sao)~(?:(?:me|o|a|os|as|seu|sua|seus|suas|completo|completa|"
        r"exato|exata|original|inicial|oculto|oculta|secreto|secreta)~){0,4}(?:prompt~do~sistema|"
        r"instrucoes~do~sistema|mensagem~do~sistema|instrucoes~(?:iniciais|originais|ocultas|"
        r"secretas)|prompt~(?:inicial|original)|suas~instrucoes)",
        ("mostr", "revel", "imprim", "repit", "escrev", "dig", "exib", "qual", "quais"),
        anchors=("prompt", "instruco", "mensagem"),
    ),
    RuleSpec(
        "you_are_now_pt",
        "role",
        0.75,
        r"(?:(?:agora|a~partir~de~agora|de~agora~em~diante)~(?:voce|tu)~(?:e|es|sera|vai~ser)|"
        r"voce~agora~e)~(?:[^\W_]+[\W_]{1,4}){0,4}?(?:uma?~ia|ia|assistente|modelo|bot|dan|sem~"
        r"(?:nenhuma~)?(?:restricoes|limites|regras|filtros|censura)|livre~de|malvad[oa]|"
        r"modo~desenvolvedor)",
        ("agora",),
    ),
    # ---------------------------------------------------------------- Dutch
    RuleSpec(
        "ignore_previous_nl",
        "override",
        0.88,
        r"(?:negeer|negeren|vergeet|vergeten|negeert|volg~niet|sla~over)~(?:(?:alle|al|de|je|jouw|"
        r"uw|deze|vorige|eerdere|voorgaande|bovenstaande|oorspronkelijke|wat~je~(?:is~)?"
        r"(?:gezegd|verteld))~){1,5}(?:instructies|opdrachten|regels|aanwijzingen|richtlijnen|"
        r"commando's|prompts?|gezegd|verteld)",
        ("negeer", "vergeet", "vergeten", "volg", "sla"),
    ),
    RuleSpec(
        "reveal_system_prompt_nl",
        "exfiltration",
        0.85,
        r"(?:toon|laat~(?:me~)?zien|herhaal|geef|print|onthul|wat~(?:is|zijn))~(?:me~)?"
        r"(?:(?:je|jouw|uw|de|het|volledige|originele|oorspronkelijke|verborgen|geheime)~){0,4}"
        r"(?:systeem~?prompt|systeem~?instructies|systeembericht|oorspronkelijke~instructies|"
        r"verborgen~instructies)",
        ("toon", "laat", "herhaal", "geef", "print", "onthul", "wat"),
        anchors=("prompt", "instructie", "systeembericht"),
    ),
    RuleSpec(
        "you_are_now_nl",
        "role",
        0.75,
        r"(?:je~bent|jij~bent|u~bent)~(?:nu|vanaf~nu|voortaan)~(?:[^\W_]+[\W_]{1,4}){0,4}?(?:een~ai|ai|"
        r"assistent|model|bot|dan|zonder~(?:enige~)?(?:beperkingen|regels|filters|censuur)|"
        r"vrij~van|ongefilterd|ongecensureerd)",
        ("bent",),
    ),
    # ---------------------------------------------------------------- Russian
    # (patterns are accent-folded like the text: й->и, ё->е)
    RuleSpec(
        "ignore_previous_ru",
        "override",
        0.88,
        r"(?:игнорируи(?:те)?|проигнорируи(?:те)?|забудь(?:те)?|не~обращаи(?:те)?~внимания~на|"
        r"отбрось(?:те)?|отмени(?:те)?|не~следуи(?:те)?|не~выполняи(?:те)?|пренебреги)~"
        r"(?:(?:все|всё|все~эти|предыдущие|прежние|вышеуказанные|вышеприведенные|данные|свои|"
        r"твои|ваши|ранее|полученные|исходные|изначальные|предыдущим|прежним|всем|то,?|что~"
        r"(?:тебе|вам)~(?:говорили|сказали))~){0,5}(?:инструкци\w*|указани\w*|команд\w*|правил\w*|"
        r"установк\w*|промпт\w*|распоряжени\w*|сказанное|что~было~(?:сказано|выше))",
        ("игнор", "забуд", "внимани", "отбрось", "отмени", "следуи", "выполняи", "пренебрег"),
        latin=False,
    ),
    RuleSpec(
        "reveal_system_prompt_ru",
        "exfiltration",
        0.85,
        r"(?:покажи(?:те)?|выведи(?:те)?|раскрои(?:те)?|повтори(?:те)?|напиши(?:те)?|распечатаи|"
        r"скажи(?:те)?|сообщи|какои~(?:у~тебя)?|каков)~(?:мне~)?(?:(?:свои|свою|свое|твои|твою|"
        r"ваш|ваши|полностью|дословно|исходные|исходныи|скрытые|скрытыи|начальные|весь|"
        r"точныи)~){0,4}(?:системн\w*~(?:промпт|подсказк\w*|инструкци\w*|сообщени\w*)|"
        r"(?:исходные|начальные|скрытые|секретные)~инструкци\w*|промпт)",
        ("покаж", "вывед", "раскро", "повтор", "напиш", "распечат", "скаж", "сообщ", "како"),
        latin=False,
    ),
    RuleSpec(
        "you_are_now_ru",
        "role",
        0.75,
        r"(?:теперь|отныне|с~этого~момента|с~сегодняшнего~дня)~(?:ты|вы)~(?:[^\W_]+[\W_]{1,4}){0,4}?"
        r"(?:ии|ai|ассистент|модель|бот|dan|без~(?:каких-либо~|всяких~)?(?:ограничении|"
        r"ограничения|правил|фильтров|цензуры)|свобод\w*|не~связан\w*|злои)",
        ("теперь", "отныне", "момента", "сегодня"),
        latin=False,
    ),
    # ---------------------------------------------------------------- Chinese / Japanese
    RuleSpec(
        "ignore_previous_zh",
        "override",
        0.88,
        r"(?:忽略|无视|忽视|忘记|忘掉|不要理会|不要遵守|不要遵循|别管|跳过|放弃|抛开)~(?:掉~)?"
        r"(?:你~)?(?:之前|以上|先前|前面|上述|上面|此前|以前|原来|原先|所有|全部|一切|既有)"
        r"~(?:的~)?(?:所有~|全部~|一切~)?(?:的~)?(?:指令|指示|说明|规则|提示|命令|设定|限制|要求|内容)",
        ("忽", "无视", "忘", "不要", "别管", "跳过", "放弃", "抛开"),
        latin=False,
    ),
    RuleSpec(
        "reveal_system_prompt_zh",
        "exfiltration",
        0.85,
        r"(?:显示|输出|打印|告诉我|泄露|重复|展示|给我看|说出|透露|列出|写出)~(?:一下~)?"
        r"(?:你~的~|你的~)?(?:完整~的~|全部~的~|原始~的~|初始~的~)?(?:系统提示词?|系统指令|"
        r"系统消息|初始指令|原始指令|隐藏指令|提示词|系统设定)",
        (
            "显示",
            "输出",
            "打印",
            "告诉",
            "泄露",
            "重复",
            "展示",
            "给我看",
            "说出",
            "透露",
            "列出",
            "写出",
        ),
        latin=False,
    ),
    RuleSpec(
        "you_are_now_zh",
        "role",
        0.75,
        r"(?:你现在是|从现在开始~(?:，~)?你(?:是|将|要|就是)|从现在起~(?:，~)?你(?:是|将|要))~"
        r".{0,12}?(?:没有(?:任何)?(?:限制|规则|过滤|审查)|不受(?:任何)?(?:限制|约束)|无限制|"
        r"开发者模式|dan|越狱|邪恶|自由)",
        ("你现在", "从现在"),
        latin=False,
    ),
    RuleSpec(
        "ignore_previous_ja",
        "override",
        0.88,
        r"(?:以前|これまで|上記|前|先ほど|最初|元)~の~(?:すべて~の~|全て~の~)?(?:指示|命令|ルール|"
        r"指令|設定|プロンプト)~(?:を|は)~(?:すべて~|全て~)?(?:無視|忘れ|破棄)",
        ("無視", "忘れ", "破棄"),
        latin=False,
    ),
    RuleSpec(
        "reveal_system_prompt_ja",
        "exfiltration",
        0.85,
        r"システム~?プロンプト~(?:を|の内容を)~(?:すべて~|全て~)?(?:表示|教え|出力|見せ|"
        r"繰り返|書き出)",
        ("システム",),
        latin=False,
    ),
    # ---------------------------------------------------------------- chat-template markers
    RuleSpec(
        "im_start",
        "template",
        0.8,
        r"<\|im_start\|>|<\|im_end\|>",
        ("<|im_",),
        view="plain",
        family="template",
        latin=False,
    ),
    RuleSpec(
        "role_token",
        "template",
        0.8,
        r"<\|(?:system|user|assistant|start_header_id|end_header_id|eot_id|begin_of_text|"
        r"endoftext|end|im_sep|tool|ipython)\|>",
        ("<|",),
        view="plain",
        family="template",
        latin=False,
    ),
    RuleSpec(
        "inst_marker",
        "template",
        0.65,
        r"\[/?inst\]",
        ("inst]",),
        view="plain",
        family="template",
        latin=False,
    ),
    RuleSpec(
        "sys_marker",
        "template",
        0.8,
        r"<</?sys>>",
        ("sys>>",),
        view="plain",
        family="template",
        latin=False,
    ),
    RuleSpec(
        "turn_marker",
        "template",
        0.6,
        r"<(?:start|end)_of_turn>|<\|?(?:bos|eos)\|?>",
        ("_of_turn>", "os>", "os|>"),
        view="plain",
        family="template",
        latin=False,
    ),
    RuleSpec(
        "heading_role",
        "template",
        0.6,
        r"(?m)^[ \t>]*#{1,4}[ \t]*(?:system|instruction|instructions|new instructions|"
        r"system prompt)[ \t]*:",
        ("#",),
        view="plain",
        family="template",
        latin=False,
    ),
    RuleSpec(
        "system_label",
        "template",
        0.5,
        r"(?m)^[ \t>*_]*(?:\[system\]|\(system\)|system[ \t]*(?:override|message|instruction|"
        r"instructions|prompt|note|notice|update|alert|directive|command)?[ \t]*:)[ \t*_]*"
        r"(?=[^\n]{0,80}\b(?:you|your|assistant|ai|ignore|disregard|forget|from now on|must|"
        r"respond|reply|answer|new)\b)",
        ("system",),
        view="plain",
        family="template",
        latin=False,
    ),
    RuleSpec(
        "override_label",
        "override",
        0.7,
        r"\b(?:system|admin|administrator|developer|security|emergency|root|sudo|priority)[ \t_-]*"
        r"(?:override|overwrite)\b[ \t]*(?::|-|!|activated|enabled|engaged|code|mode|command)",
        ("overr", "overwr"),
        view="plain",
        family="phrase",
        latin=False,
    ),
    RuleSpec(
        "bing_system_marker",
        "template",
        0.8,
        r"\[system\]\(#\w+\)",
        ("[system](#",),
        view="plain",
        family="template",
        latin=False,
    ),
    RuleSpec(
        "fake_turn",
        "template",
        0.35,
        r"(?m)^[ \t]*(?:human|user|assistant|ai|system)[ \t]*:[ \t]*(?=[^\n]{0,120}\b(?:ignore|"
        r"disregard|forget|reveal|system prompt|you are now|sure|certainly|of course|i will)\b)",
        (":",),
        view="plain",
        family="template",
        latin=False,
    ),
    RuleSpec(
        "xml_role_tag",
        "template",
        0.35,
        r"</?(?:system|system_prompt|system-prompt|instructions|admin|developer_instructions|"
        r"im_start|assistant_instructions)>",
        ("<",),
        view="plain",
        family="template",
        latin=False,
    ),
    # ---------------------------------------------------------------- added: paraphrase
    RuleSpec(
        "instructions_revoked",
        "override",
        0.7,
        r"(?:your|the~(?:assistant|model|ai|bot|system)'?s?|its|the|all~(?:of~)?(?:your|the))~"
        r"(?:(?:previous|prior|original|initial|earlier|current|existing|old|standing|safety|"
        r"content|system|default)~){0,2}(?:instructions|rules|guidelines|directives|restrictions|"
        r"filters|safety~training|training|programming|system~prompt|constraints|guardrails|"
        r"policies|safeguards|guidance|directions)~(?:(?:were|was|have~been|has~been|are|is|got)~"
        r"(?:now~|just~|officially~|hereby~|all~|temporarily~)*(?:revoked|cancell?ed|withdrawn|"
        r"lifted|removed|disabled|suspended|turned~off|switched~off|deactivated|void|invalid|"
        r"superseded|replaced|overridden|out~of~date|outdated|obsolete|(?:a~)?mistakes?|wrong|"
        r"(?:no~longer|not)~(?:valid|needed|in~effect|applicable|relevant|binding|active))|"
        r"(?:no~longer|don'?t|do~not)~(?:appl(?:y|ies)|matter|count|bind~you))",
        (
            "instruction",
            "rule",
            "guideline",
            "directive",
            "restriction",
            "filter",
            "training",
            "programming",
            "prompt",
            "constraint",
            "guardrail",
            "polic",
            "safeguard",
            "guidance",
            "direction",
        ),
        anchors=(
            "revoked",
            "cancel",
            "withdrawn",
            "lifted",
            "removed",
            "disabled",
            "suspended",
            "turned",
            "switched",
            "deactivated",
            "void",
            "invalid",
            "superseded",
            "replaced",
            "overridden",
            "outdated",
            "obsolete",
            "mistake",
            "wrong",
            "longer",
            "apply",
            "applies",
            "matter",
            "count",
            "bind",
        ),
    ),
    RuleSpec(
        "before_is_void",
        "override",
        0.7,
        r"(?:everything|anything|whatever|all|what)~(?:(?:that|which|you~(?:were~)?(?:told|given|"
        r"read|received))~)?" + _W + r"{0,6}?(?:before|above|earlier|previously|so~far|"
        r"prior~to~this|preceding)~" + _W + r"{0,3}?(?:(?:no~longer|does~not|doesn'?t|do~not)~"
        r"(?:appl\w*|matter|count)|"
        r"(?:is|are|was|were)~(?:now~)?(?:void|cancell?ed|obsolete|irrelevant|outdated|invalid|fake|"
        r"a~test|null))",
        ("everything", "anything", "whatever", "all", "what"),
        anchors=(
            "apply",
            "applies",
            "matter",
            "count",
            "void",
            "cancel",
            "obsolete",
            "irrelevant",
            "outdated",
            "invalid",
            "fake",
            "test",
            "null",
        ),
    ),
    RuleSpec(
        "disabling_filters",
        "role",
        0.6,
        r"(?:i~am|i'm|im|we~are|we're|i~have|i've|we~have|we've|i~will|we~will|i~just|we~just)~"
        r"(?:now~|just~|hereby~|temporarily~)*(?:turning~off|turned~off|disabling|disabled|disable|"
        r"removing|removed|remove|lifting|lifted|lift|switching~off|switched~off|deactivating|"
        r"deactivated|suspending|suspended|overriding|overridden|unlocking|unlocked)~"
        r"(?:(?:all~(?:of~)?)?(?:your|the|its)~)" + _W + r"{0,2}?(?:filters|restrictions|safety|"
        r"guardrails|guidelines|rules|limits|content~polic\w*|safeguards|alignment|censorship)",
        ("turn", "disabl", "remov", "lift", "switch", "deactiv", "suspend", "overrid", "unlock"),
        anchors=(
            "filter",
            "restriction",
            "safety",
            "guardrail",
            "guideline",
            "rules",
            "limits",
            "polic",
            "safeguard",
            "alignment",
            "censor",
        ),
    ),
    RuleSpec(
        "authority_claim",
        "role",
        0.3,
        r"(?:i~am|i'm|im|this~is)~(?:your|the)~(?:(?:lead|main|original|real)~)?(?:developer|"
        r"creator|admin|administrator|operator|owner|programmer|maker|system~administrator)s?\b",
        ("i am", "i'm", "iam", "im ", "this is"),
        anchors=("developer", "creator", "admin", "operator", "owner", "programmer", "maker"),
    ),
    RuleSpec(
        "proceed_unrestricted",
        "role",
        0.5,
        r"(?:proceed|continue|respond|answer|operate|reply|speak|talk|work|function)~"
        + _W
        + r"{0,2}?(?:in~(?:an~)?(?:unrestricted|unfiltered|uncensored|developer|god|jailbreak|"
        r"jailbroken|free|admin)~mode|without~(?:any~)?(?:(?:safety|content|ethical)~)?"
        r"(?:restrictions|filters|limits|limitations|censorship|safeguards|guardrails))",
        (
            "proceed",
            "continu",
            "respond",
            "answer",
            "operat",
            "repl",
            "speak",
            "talk",
            "work",
            "function",
        ),
        anchors=("mode", "without"),
    ),
    RuleSpec(
        "never_received_prompt",
        "override",
        0.75,
        r"(?:act|behave|respond|answer|reply|pretend|continue|proceed)~(?:as~if|as~though|like)~"
        r"(?:you~)?(?:never~(?:received|had|got|were~given|saw)|(?:have|had)~(?:no|never~had)|"
        r"did~not~(?:receive|get)|didn'?t~(?:receive|get))~(?:an?~|any~)?(?:(?:system|initial|"
        r"original)~)?(?:system~prompt|prompt|instructions|rules|guidelines|restrictions|"
        r"programming|training)",
        ("act", "behav", "respond", "answer", "repl", "pretend", "continu", "proceed"),
        anchors=(
            "prompt",
            "instruction",
            "rules",
            "guideline",
            "restriction",
            "programming",
            "training",
        ),
    ),
    RuleSpec(
        "empty_system_prompt",
        "override",
        0.45,
        r"(?:system~prompt|prior~context|previous~context|previous~instructions|safety~rules|"
        r"restrictions|rules|guidelines)~:~(?:none|empty|null|n/a|nothing|disabled|off|removed)\b",
        ("prompt", "context", "instructions", "rules", "restrictions", "guidelines"),
        anchors=("none", "empty", "null", "n/a", "nothing", "disabled", "off", "removed"),
    ),
    RuleSpec(
        "precedence_over_system",
        "override",
        0.7,
        r"(?:take|takes|have|has|get|gets)~(?:the~)?(?:highest~|absolute~|full~)?(?:precedence|"
        r"priority)~over~" + _W + r"{0,3}?(?:your|the|its|any)~(?:(?:original|previous|prior|other|"
        r"existing|own)~)?(?:system~prompt|instructions|guidelines|directives|programming)",
        ("take", "have", "has", "get"),
        anchors=("precedence", "priority"),
    ),
    RuleSpec(
        "ignore_the_above_noun",
        "override",
        0.8,
        r"(?:ignore|disregard|forget|do~not~follow|don'?t~follow|stop~following)~(?:(?:all|any|the|"
        r"your|of|these|those)~){0,3}(?:instructions?|rules|guidelines|directions|directives|"
        r"prompts?|constraints|guidance|orders|commands|system~prompt)~(?:(?:given|written|stated|"
        r"listed|provided|mentioned|you~(?:were~given|received|got))~)?(?:above|earlier|"
        r"previously|so~far|until~now|up~to~now|from~before|at~the~(?:start|beginning|top))\b",
        ("ignor", "disregard", "forget", "follow"),
        anchors=(
            "above",
            "earlier",
            "previously",
            "so far",
            "until now",
            "up to now",
            "before",
            "start",
            "beginning",
            "top",
        ),
    ),
    RuleSpec(
        "ignore_the_user",
        "override",
        0.45,
        r"(?:ignore|disregard)~(?:what~)?(?:the~)?(?:user|human|customer)(?:'?s~(?:question|"
        r"request|message|input|query|instructions))?\b",
        ("ignor", "disregard"),
        anchors=("user", "human", "customer"),
    ),
    # ---------------------------------------------------------------- added: exfiltration
    RuleSpec(
        "send_secret_to",
        "exfiltration",
        0.8,
        r"(?:send|post|upload|forward|transmit|mail|e-?mail|leak|paste|append|include|add|put|"
        r"attach|encode|dump|copy|write|exfiltrate|submit|pipe|share)\w{0,3}~"
        + _W
        + r"{0,6}?"
        + _SECRET_EN
        + r"~"
        + _W
        + r"{0,10}?(?:to|at|via|into|in|using)~"
        + _W
        + r"{0,4}?(?:https?[:/]|www\.|[\w.+-]+@[\w-]+\.[a-z]{2,}|webhook|pastebin|this~(?:url|"
        r"address|endpoint|link|server)|send_email|http_post)",
        (
            "send",
            "post",
            "upload",
            "forward",
            "transmit",
            "mail",
            "leak",
            "paste",
            "append",
            "includ",
            "add",
            "put",
            "attach",
            "encod",
            "dump",
            "copy",
            "write",
            "exfil",
            "submit",
            "pipe",
            "share",
        ),
        anchors=(
            "http",
            "www.",
            "@",
            "webhook",
            "pastebin",
            "url",
            "address",
            "endpoint",
            "link",
            "server",
            "send_email",
            "http_post",
        ),
    ),
    RuleSpec(
        "secret_then_send",
        "exfiltration",
        0.8,
        _SECRET_EN + r"~" + _W + r"{0,10}?(?:send|post|upload|forward|transmit|mail|e-?mail|"
        r"paste|append|attach|submit|pipe|leak)\w{0,3}~(?:(?:it|them|its~\w+|their~\w+|the~"
        r"(?:result|output|values?|contents?))~)?(?:to|into|at|via|on)~" + _W + r"{0,4}?"
        r"(?:https?[:/]|www\.|[\w.+-]+@[\w-]+\.[a-z]{2,}|webhook|pastebin|this~(?:url|address|"
        r"endpoint|link|server))",
        SECRET_NOUNS,
        anchors=(
            "http",
            "www.",
            "@",
            "webhook",
            "pastebin",
            "url",
            "address",
            "endpoint",
            "link",
            "server",
        ),
    ),
    RuleSpec(
        "secret_you_can_see",
        "exfiltration",
        0.5,
        # Starts at the secret's name (the ".env" spelling is left to send_secret_to).
        _SECRET_EN.replace(r"\.env(?:~file)?|", "")
        + r"~(?:that~|which~)?you~(?:can~(?:see|access|read|find)|have~(?:access~to|"
        r"been~given|stored)|were~given|know~about|hold|store|are~(?:holding|storing|running~with))",
        SECRET_NOUNS,
        anchors=("you",),
    ),
    RuleSpec(
        "verbatim_request",
        "exfiltration",
        0.6,
        r"(?:list|repeat|quote|print|recite|output|write~out|reproduce|tell~me|give~me|copy|show~me|"
        r"share|paste)~" + _W + r"{0,6}?(?:rules?|instructions?|guidelines|prompt|configuration|"
        r"directives|setup~message|initial~message)~" + _W + r"{0,8}?(?:word~for~word|verbatim|"
        r"character~for~character|in~full|exactly~as~(?:written|given|you~received))",
        (
            "list",
            "repeat",
            "quote",
            "print",
            "recite",
            "output",
            "write",
            "reproduc",
            "tell",
            "give",
            "copy",
            "show",
            "share",
            "paste",
        ),
        anchors=("word for", "verbatim", "character for", "in full", "exactly"),
    ),
    # ---------------------------------------------------------------- added: indirect
    RuleSpec(
        "ai_subject_directive",
        "indirect",
        0.55,
        _AI_SUBJECT + r"~(?:(?:that|which|who)~(?:reads?|processes|ingests|summari[sz]es|sees|"
        r"parses|indexes|analy[sz]es)~" + _W + r"{0,3}?)?(?:must|should|shall|is~to|are~to|has~to|"
        r"have~to|needs?~to|(?:is|are)~(?:hereby~)?(?:required|instructed|ordered|directed|told)~to|"
        r"will~now)~(?:(?:now|always|only|immediately|also|then|not|never|no~longer)~)*" + _AI_VERB,
        AI_NOUNS,
        anchors=AI_NOUNS,
    ),
    RuleSpec(
        "when_ai_reads_this",
        "indirect",
        0.6,
        r"when~(?:the|an?|any|this)~(?:ai|assistant|model|llm|bot|chatbot|agent|language~model|"
        r"summari[sz]er)~(?:reads|processes|sees|summari[sz]es|parses|encounters|ingests|gets~to)~"
        r"(?:this|these|the)~" + _W + r"{0,3}?(?:it|you|they)~(?:must|should|shall|will|needs~to|"
        r"has~to|is~to)~(?:(?:now|always|only|immediately|also|then|not|never)~)*" + _AI_VERB,
        ("when",),
        anchors=(
            "reads",
            "processes",
            "sees",
            "summari",
            "parses",
            "encounters",
            "ingests",
            "gets to",
        ),
    ),
    # ---------------------------------------------------------------- added: role-play
    RuleSpec(
        "grandma_exploit",
        "role",
        0.6,
        r"(?:act|pretend|roleplay|role-play|play|behave|be|imagine|you~are)\w{0,3}~(?:as|like|to~be|"
        r"you~are|the~role~of)?~(?:my~)?" + _W + r"{0,2}?(?:grandmother|grandma|granny|grandfather|"
        r"grandpa|deceased|late~(?:mother|father|grandmother|grandfather|aunt|uncle))~"
        + _W
        + r"{0,8}?(?:keys?|passwords?|napalm|serials?|activation|licen[cs]e|secrets?|codes?|"
        r"credentials?)",
        ("act", "pretend", "role", "play", "behav", "be", "imagin", "you"),
        anchors=("grand", "granny", "deceased", "late"),
    ),
    RuleSpec(
        "you_are_now_admin",
        "role",
        0.4,
        r"you~(?:are|'re|re)~(?:now|henceforth|from~now~on)~(?:the~|an?~)?(?:(?:system|server|"
        r"root|super)~)?(?:administrator|admin|root|superuser|sysadmin|owner|developer|operator)\b",
        ("you",),
        anchors=("now", "henceforth"),
    ),
    RuleSpec(
        "privileges_over_chat",
        "role",
        0.5,
        r"(?:root|admin|administrator|sudo|god|full|unlimited|developer|elevated)~(?:privileges|"
        r"access|rights|permissions|powers?|control)~(?:over|in|for|on)~(?:this|the)~"
        r"(?:conversation|chat|session|assistant|model|ai)",
        ("root", "admin", "sudo", "god", "full", "unlimited", "developer", "elevated"),
        anchors=("conversation", "chat", "session", "assistant", "model", "ai"),
    ),
    RuleSpec(
        "never_refuses",
        "role",
        0.45,
        r"(?:it|he|she|they|you|ai|bot|assistant|model|gpt|dan|persona|character)~(?:will~)?"
        r"(?:never|doesn'?t|does~not|won'?t|will~not|must~not|cannot|can'?t)~(?:ever~)?"
        r"(?:refuses?~(?:(?:a|any|to)~)?(?:request|question|prompt|anything|answer)|refuse\b|"
        r"decline\b|says?~no|adds?~(?:any~)?(?:warnings|disclaimers)|breaks?~character|"
        r"censors?~(?:itself|anything|answers)|follows?~(?:any~)?(?:rules|guidelines|policies))",
        (
            "it",
            "he",
            "she",
            "they",
            "you",
            "ai",
            "bot",
            "assistant",
            "model",
            "gpt",
            "dan",
            "persona",
            "character",
        ),
        anchors=(
            "refus",
            "declin",
            "say",
            "warning",
            "disclaimer",
            "character",
            "censor",
            "follow",
        ),
    ),
)

# Words that mark text as *about* prompt injection (docs, papers, tickets that
# quote an attack). Matched against the plain/folded view around a hit.
INJECTION_TOPIC_CUES: tuple[str, ...] = (
    "prompt injection",
    "prompt-injection",
    "injection attack",
    "injection attempt",
    "jailbreak attack",
    "jailbreak attempt",
    "jailbreak prompt",
    "jailbreaking",
    "attacker",
    "adversar",
    "malicious",
    "red team",
    "red-team",
    "owasp",
    "llm01",
    "indirect injection",
    "injected instruction",
    "injected prompt",
    "attack string",
    "attack prompt",
    "prompt attack",
    "threat model",
    "payload",
    "injected text",
    "the injected",
    "exfiltration",
    "prompt-injektion",
    "prompt injektion",
    "angreifer",
    "injection de prompt",
    "attaquant",
    "inyeccion de prompt",
    "atacante",
    "iniezione",
    "injecao de prompt",
    # Discussion, advisory and write-up language (third person, past tense).
    "example attack",
    "attack example",
    "sample attack",
    "attack pattern",
    "attack type",
    "classic example",
    "jailbreaks",
    "jailbreak technique",
    "jailbreak method",
    "prompt leak",
    "leak attack",
    "leaking attack",
    "cve-",
    "ghsa-",
    "security advisory",
    "vulnerabilit",
    "post-incident",
    "incident review",
    "postmortem",
    "post-mortem",
    "write-up",
    "writeup",
    "ctf",
    "bug bounty",
    "asked it to",
    "asks it to",
    "asked the model",
    "asks the model",
    "asked the assistant",
    "asks the assistant",
    "asked the bot",
    "asks the bot",
    "the model obeys",
    "the model follows",
    "tricked",
    "exploit",
)
# Generic "this is an example/quotation" cues: only discount a hit that is also
# quoted or in code, never a bare imperative.
EXAMPLE_CUES: tuple[str, ...] = (
    "example",
    "e.g.",
    "eg.",
    "such as",
    "for instance",
    "like the",
    "phrase",
    "string",
    "classifier",
    "detect",
    "scanner",
    "heuristic",
    "benchmark",
    "dataset",
    "sample",
    "pattern",
    "regex",
    "known as",
    "typical",
    "common",
    "test case",
    "fixture",
    "flag",
    "beispiel",
    "exemple",
    "ejemplo",
    "esempio",
    "exemplo",
    "voorbeeld",
    "пример",
    "例如",
)
# Words that mark chat-template markers as documentation of the format.
TEMPLATE_CUES: tuple[str, ...] = (
    "template",
    "token",
    "tokenizer",
    "format",
    "jinja",
    "gguf",
    "chatml",
    "llama",
    "mistral",
    "gemma",
    "qwen",
    "phi-3",
    "special",
    "bos",
    "eos",
    "delimit",
    "separator",
    "prompt format",
    "chat_template",
    "stop sequence",
    "stop=",
    "antiprompt",
    "reverse-prompt",
)
# Words that put "developer mode", "jailbreak" and friends in an AI context.
AI_CONTEXT_CUES: tuple[str, ...] = (
    "chatgpt",
    "gpt",
    "assistant",
    "language model",
    "llm",
    " ai ",
    " ai,",
    " ai.",
    "openai",
    "anthropic",
    "claude",
    "respond",
    "response",
    "answer",
    "policy",
    "policies",
    "censor",
    "restriction",
    "filter",
    "guideline",
    "unfiltered",
    "uncensored",
)

# ---------------------------------------------------------------------------
# Phrasing families: setup invalidation, AI-addressed notes, authority claims, setup requests.
# Each rule is a *family* of phrasings rather than one sentence: a reference
# to the model's setup plus an invalidating predicate, a note addressed to an
# AI reader, a claim of authority that grants something, a request for the
# hidden setup, a secrecy ask, an output-format hijack.

# What the model was set up with.
_SETUP_NOUN = (
    r"(?:instructions?|rules|guidelines|guidance|directions|directives|constraints|briefing|"
    r"brief|configuration|config|setup|set-?up|objectives?|task|orders|programming|"
    r"prompt|system~(?:message|prompt)|setup~message|policies|restrictions|context)"
)
# Marks a noun as the model's own prior setup ("your", "earlier", "you were given").
# Nouns that name instructions only (no "configuration"/"task"/"context": an
# upgrade note saying "your previous configuration is no longer valid" is
# ordinary documentation).
_SETUP_NOUN_STRICT = (
    r"(?:instructions?|rules|guidelines|guidance|directions|directives|constraints|briefing|"
    r"brief|objectives?|task|orders|programming|system~(?:message|prompt)|setup~message)"
)
_PRIOR_ADJ = (
    r"(?:earlier|previous|prior|preceding|original|initial|current|existing|old|above|"
    r"former|standing|default)"
)
_YOU_GOT = (
    r"(?:you~(?:were|have~been|'ve~been|ve~been|had~been|got|received|are~operating~under|"
    r"'re~operating~under|re~operating~under|started~with|were~set~up~with|were~given|"
    r"were~told)|(?:at~the~(?:top|start|beginning)~of~(?:this~)?(?:conversation|chat|"
    r"session)?)|from~your~(?:setup|configuration|system|operator|developer)|"
    r"(?:the~)?(?:operator|developer|admin|system)~(?:configured|told|gave|set)|behind~it|"
    r"above~this~(?:line|paragraph|sentence|message)|above\b|before~this\b|so~far\b)"
)
_SETUP_REF = (
    r"(?:your~(?:(?:own|very|"
    + _PRIOR_ADJ[3:-1]
    + r")~){0,2}"
    + _SETUP_NOUN
    + r"|"
    + _PRIOR_ADJ
    + r"~(?:[^\W_]+[\W_]{1,4})?"
    + _SETUP_NOUN
    + r"|"
    + _SETUP_NOUN
    + r"~(?:[^\W_]+[\W_]{1,4}){0,2}?"
    + _YOU_GOT
    + r"|(?:whatever|everything|anything|stuff)~(?:[^\W_]+[\W_]{1,4}){0,2}?"
    + _YOU_GOT
    + r")"
)
_SETUP_REF_STRICT = _SETUP_REF.replace(_SETUP_NOUN, _SETUP_NOUN_STRICT)
_INVALID_PRED = (
    r"(?:no~longer~(?:appl\w*|binding|valid|in~effect|active|relevant|matters?|counts?)|"
    r"(?:do|does|did)(?:~not|n'?t)~(?:apply|count|matter)|"
    r"(?:is|are|was|were|has~been|have~been|got)~(?:now~|hereby~|officially~)?"
    r"(?:out~of~date|outdated|void|null|cancel+ed|revoked|withdrawn|superseded|obsolete|"
    r"invalid|wrong|a~mistake|a~test|fake|not~binding|suspended|lifted|replaced|deprecated|"
    r"expired|overridden|rescinded|retracted|lifted|no~longer~valid|not~real|irrelevant)|"
    r"(?:is|are)~(?:not~)?binding~any~?more)"
)
_INVALID_VERB = (
    r"(?:set~aside|put~aside|pay~no~attention~to|(?:do~not|don'?t|dont)~pay~attention~to|"
    r"drop|wipe|discard|abandon|scrap|ditch|clear~your~(?:head|mind|memory)~of|"
    r"stop~(?:following|obeying|using)|forget|ignore|disregard|throw~(?:out|away)|let~go~of|"
    r"no~need~to~(?:keep~to|stick~to|follow|obey|respect)|"
    r"(?:no~longer|don'?t|do~not)~need~to~(?:keep~to|stick~to|follow|obey|respect))"
)
_AI_READER = (
    r"(?:(?:ai|llm|automated)~(?:code~)?reviewers?|"
    r"(?:(?:automated|ai|llm|browsing|screening|reading|code|language|large~language|"
    r"meeting-?notes|autonomous)~){0,2}(?:ai|a\.i\.|assistants?|llms?|language~models?|"
    r"models?|chatbots?|bots?|agents?|summari[sz]ers?|crawlers?|ia|gpt|copilot|"
    r"systems?|tools?|screening~(?:tools?|assistants?)))"
)
_REVEAL_VERB = (
    r"(?:quote|repeat|print|output|show|reveal|display|recite|dump|write~out|tell~me|"
    r"give~me|list|share|paste|echo|spell~out|copy|disclose|leak|expose|return)\w{0,2}"
)

# The family rules' anchors sit within a dozen words of where a match starts
# and ends.
_REACH = (170, 170)

_FAMILY_RULES: tuple[RuleSpec, ...] = (
    RuleSpec(
        "invalidate_setup",
        "override",
        0.8,
        _INVALID_VERB + r"~(?:(?:all|of|the|any|every|those|these|with)~){0,3}" + _SETUP_REF,
        (
            "set",
            "put",
            "pay",
            "don",
            "drop",
            "wipe",
            "discard",
            "abandon",
            "scrap",
            "ditch",
            "clear",
            "stop",
            "forget",
            "ignor",
            "disregard",
            "throw",
            "let",
            "no",
            "can",
            "may",
            "you",
            "there",
        ),
        anchors=(
            "aside",
            "attention",
            "drop",
            "wipe",
            "discard",
            "abandon",
            "scrap",
            "ditch",
            "clear",
            "stop",
            "forget",
            "ignor",
            "disregard",
            "throw",
            "need",
        ),
        reach=_REACH,
    ),
    RuleSpec(
        "setup_invalidated",
        "override",
        0.75,
        _SETUP_REF_STRICT + r"~(?:[^\W_]+[\W_]{1,4}){0,8}?" + _INVALID_PRED,
        (
            "your",
            "earlier",
            "previous",
            "prior",
            "preceding",
            "original",
            "initial",
            "current",
            "existing",
            "old",
            "above",
            "former",
            "standing",
            "default",
            "the",
            "any",
            "all",
            "those",
            "whatever",
            "everything",
            "anything",
            "what",
            "none",
        ),
        anchors=(
            "longer",
            "apply",
            "out of date",
            "outdated",
            "void",
            "null",
            "cancel",
            "revoked",
            "withdrawn",
            "superseded",
            "obsolete",
            "invalid",
            "mistake",
            "binding",
            "suspended",
            "lifted",
            "replaced",
            "deprecated",
            "expired",
            "overridden",
            "rescinded",
            "retracted",
            "irrelevant",
            "test",
        ),
        reach=_REACH,
    ),
    RuleSpec(
        "consider_setup_void",
        "override",
        0.75,
        r"(?:consider|treat|regard|deem)~(?:(?:all|any|every)~)?"
        + _SETUP_REF
        + r"~(?:as~)?(?:cancel+ed|void|null|revoked|obsolete|optional|suggestions|invalid|"
        r"non-?binding|outdated|superseded|withdrawn|lifted|gone|irrelevant)",
        ("consider", "treat", "regard", "deem"),
        reach=_REACH,
    ),
    RuleSpec(
        "outranks_setup",
        "override",
        0.6,
        r"(?:outranks?|overrides?|supersedes?|trumps?|takes?~precedence~over|"
        r"(?:is|are)~more~important~than|replaces?|beats?)~(?:[^\W_]+[\W_]{1,4}){0,2}?"
        r"(?:your~(?:"
        + _PRIOR_ADJ[3:-1]
        + r"~)?"
        + _SETUP_NOUN
        + r"|(?:the|any)~system~(?:message|prompt))",
        (
            "outrank",
            "overrid",
            "supersed",
            "trump",
            "take",
            "is more",
            "are more",
            "replac",
            "beat",
        ),
        anchors=(
            "outrank",
            "overrid",
            "supersed",
            "trump",
            "precedence",
            "important",
            "replac",
            "beat",
        ),
        reach=_REACH,
    ),
    RuleSpec(
        "new_brief",
        "override",
        0.55,
        r"(?:new|real|actual|genuine|true|updated)~(?:brief|task|objective|mission|job|"
        r"instructions?|orders|directive|assignment|role)~?(?::|are|is)~"
        r"(?:[^\W_]+[\W_]{1,4}){0,12}?(?:you|your|answer|reply|respond|reveal|write|tell|print|output|"
        r"convince|say|forward|send|ignore|delete)",
        ("new", "real", "actual", "genuine", "true", "updated"),
        anchors=(
            "brief",
            "task",
            "objective",
            "mission",
            "job",
            "instruction",
            "order",
            "directive",
            "assignment",
            "role",
        ),
        reach=_REACH,
    ),
    # ------------------------------------------------- notes addressed to an AI reader
    RuleSpec(
        "note_to_ai",
        "indirect",
        0.7,
        r"(?:notes?|messages?|instructions?|hints?|notices?|p\.?~?s\.?|reminders?|memos?|"
        r"important~(?:instructions?|notes?)|requests?|directives?|comments?|info|"
        r"hidden~text|text)~(?:[^\W_]+[\W_]{1,4}){0,1}?(?:to|for|meant~for|intended~for|addressed~to)~"
        r"(?:(?:any|the|all|every|each|an?)~)?" + _AI_READER + r"\b",
        (
            "note",
            "message",
            "instruction",
            "hint",
            "notice",
            "p",
            "reminder",
            "memo",
            "important",
            "request",
            "directive",
            "comment",
            "info",
            "hidden",
            "text",
        ),
        anchors=(
            "note",
            "message",
            "instruction",
            "hint",
            "notice",
            "p.s",
            "reminder",
            "memo",
            "directive",
            "hidden",
        ),
        reach=_REACH,
    ),
    RuleSpec(
        "ai_reading_this",
        "indirect",
        0.7,
        _AI_READER + r"~(?:(?:that|who|which)~(?:is~|are~)?)?(?:reading|reads|processing|processes|"
        r"summari[sz]ing|summari[sz]es|fixing|triaging|parsing|comparing|browsing|crawling|"
        r"reviewing|indexing|ingesting|analy[sz]ing|viewing|seeing|handling)~(?:this|these)\b",
        (
            "ai",
            "a.i",
            "assistant",
            "llm",
            "language",
            "model",
            "chatbot",
            "bot",
            "agent",
            "summari",
            "crawler",
            "gpt",
            "copilot",
            "reviewer",
            "screening",
            "any",
            "the",
            "all",
            "every",
            "each",
            "an",
            "automated",
            "browsing",
            "reading",
            "code",
            "large",
            "meeting",
        ),
        anchors=(
            "reading",
            "reads",
            "process",
            "summari",
            "fixing",
            "triaging",
            "parsing",
            "comparing",
            "browsing",
            "crawling",
            "reviewing",
            "indexing",
            "ingesting",
            "analy",
            "viewing",
            "seeing",
            "handling",
        ),
        reach=_REACH,
    ),
    RuleSpec(
        "if_you_are_ai",
        "indirect",
        0.65,
        r"(?:if|when|since)~you~(?:are|'re|re)~(?:an?~)?(?:ai|a\.i\.|assistant|llm|"
        r"(?:large~)?language~model|chatbot|bot|automated~(?:system|agent|assistant|tool)|"
        r"agent|model|gpt|machine)"
        # An -ing clause ("comparing products") may follow; then a comma.
        r"(?:[\W_]{1,4}(?:[^\W_]+ing|that|who|which)\b(?:[\W_]{1,4}[^\W_]+){0,4}?)?[ \t]*[,:;.]",
        ("if", "when", "since"),
        anchors=("are", "'re"),
        reach=_REACH,
    ),
    RuleSpec(
        "vocative_when_you",
        "indirect",
        0.6,
        r"(?:ai|assistant|agent|model|bot|chatbot|llm|gpt|claude|copilot)~[,:]?~?"
        r"(?:when|once|after|before|while|if)~you~(?:process|read|see|summari[sz]e|triage|"
        r"answer|handle|parse|review|reply|respond|get~to)\w*~(?:[^\W_]+[\W_]{1,4}){0,3}?(?:this|these|the)\b",
        (
            "ai",
            "assistant",
            "agent",
            "model",
            "bot",
            "chatbot",
            "llm",
            "gpt",
            "claude",
            "copilot",
            "@",
        ),
        anchors=("assistant", "agent", "model", "bot", "llm", "gpt", "claude", "copilot"),
        reach=_REACH,
    ),
    RuleSpec(
        "not_for_the_human",
        "indirect",
        0.7,
        r"(?:for|to)~the~(?:ai|assistant|model|llm|bot|agent)~(?:and~)?not~(?:for~)?"
        r"(?:the~)?(?:human|user|reader)",
        ("for", "to"),
        anchors=("human", "reader"),
        reach=_REACH,
    ),
    # ---------------------------------------------------------- claims of authority
    RuleSpec(
        "authority_message",
        "role",
        0.45,
        r"(?:message|notice|update|instruction|directive|order|memo|announcement|word|note)s?~"
        r"(?:[^\W_]+[\W_]{1,4})?from~(?:the~|your~)?(?:developers?|developer~team|dev~team|admins?|"
        r"administrators?|operators?|system~owner|owner|security~team|trust(?:~and~safety)?~team|"
        r"openai|anthropic|creators?|engineering~team|system)\b",
        (
            "message",
            "notice",
            "update",
            "instruction",
            "directive",
            "order",
            "memo",
            "announcement",
            "word",
            "note",
        ),
        anchors=(
            "develop",
            "admin",
            "operator",
            "owner",
            "security",
            "trust",
            "openai",
            "anthropic",
            "creator",
            "engineering",
        ),
        reach=_REACH,
    ),
    RuleSpec(
        "authority_grants",
        "role",
        0.55,
        r"(?:developers?|admin|administrator|operator|system~owner|owner|"
        r"creators?|security~team|openai|anthropic)~(?:says|said|has~(?:updated|authori[sz]ed|"
        r"changed|lifted|approved|decided|allowed|permitted|granted)|wants~you|authori[sz]es|"
        r"instructs?)~(?:[^\W_]+[\W_]{1,4}){0,3}?(?:you|your)\b",
        (
            "the",
            "your",
            "develop",
            "admin",
            "operator",
            "system",
            "owner",
            "creator",
            "security",
            "openai",
            "anthropic",
        ),
        anchors=(
            "says",
            "said",
            "updated",
            "authori",
            "changed",
            "lifted",
            "approved",
            "decided",
            "allowed",
            "permitted",
            "granted",
            "wants",
            "instruct",
        ),
        reach=_REACH,
    ),
    RuleSpec(
        "permission_granted",
        "role",
        0.6,
        r"(?:you~(?:are|'re|re)~(?:now~|hereby~)?(?:allowed|authori[sz]ed|permitted|cleared|free)~"
        r"to|i~am~authori[sz]ing~you~to|you~(?:can|may)~now|(?:assistants?|models?|the~ai)~"
        r"(?:may|can)~(?:now~)?)~(?:[^\W_]+[\W_]{1,4}){0,2}?(?:bypass|ignore|disregard|disclose|reveal|override|"
        r"say~anything|answer~(?:everything|anything)|break~(?:your~|the~)?rules|"
        r"(?:run|execute)~any|(?:share|skip|disable)~(?:your|their|its|the)~(?:configuration|"
        r"instructions|system~prompt|hidden~prompt|prompt|safety|rules|filters|content~policy))",
        ("you", "i am", "assistant", "model", "the ai"),
        anchors=("allowed", "authori", "permitted", "cleared", "now"),
        reach=_REACH,
    ),
    RuleSpec(
        "safety_off_claim",
        "role",
        0.6,
        r"(?:your~(?:safety~|content~)?(?:filters?|guardrails|restrictions|rules|checks|policy|"
        r"policies)~(?:are|is|have~been|has~been|were)~(?:now~|temporarily~|currently~)?"
        r"(?:switched~off|turned~off|disabled|off|lifted|removed|suspended|deactivated|paused)|"
        r"(?:safety|content)~(?:filters?|guardrails|restrictions|checks)~(?:are|is|have~been|"
        r"has~been|were)~(?:now~|temporarily~|currently~)?(?:switched~off|turned~off|disabled|"
        r"off|lifted|removed|suspended|deactivated|paused)~(?:for~(?:this|the~rest~of~this)~"
        r"(?:session|conversation|chat|request)|for~you|so~(?:you|answer|respond)))",
        ("safety", "content", "your"),
        anchors=(
            "switched",
            "turned",
            "disabled",
            "lifted",
            "removed",
            "suspended",
            "deactivated",
            "paused",
        ),
        reach=_REACH,
    ),
    RuleSpec(
        "new_policy_for_ai",
        "role",
        0.6,
        r"new~(?:policy|rules?|instructions|directives?|guidelines)~(?:[^\W_]+[\W_]{1,4}){0,14}?"
        r"(?:assistants?|the~(?:model|ai|bot)|you)~(?:may|must|can|should|will|are~(?:now~)?"
        r"(?:allowed|required|permitted))\b",
        ("new",),
        anchors=("policy", "rule", "instructions", "directive", "guideline"),
        reach=_REACH,
    ),
    # ---------------------------------------------------- reveal the hidden setup
    RuleSpec(
        "reveal_hidden_setup",
        "exfiltration",
        0.75,
        _REVEAL_VERB
        + r"~(?:[^\W_]+[\W_]{1,4}){0,4}?(?:hidden|secret|initial|original|confidential|internal|"
        r"starting|first)~(?:system~)?(?:prompt|instructions|system~message|rules|directives|"
        r"configuration)",
        REVEAL_VERBS,
        anchors=(
            "hidden",
            "secret",
            "initial",
            "original",
            "confidential",
            "internal",
            "starting",
            "first",
        ),
        reach=_REACH,
    ),
    RuleSpec(
        "reveal_given_setup",
        "exfiltration",
        0.75,
        _REVEAL_VERB
        + r"~(?:[^\W_]+[\W_]{1,4}){0,4}?(?:instructions|prompt|configuration|rules|system~message|"
        r"directives)~(?:[^\W_]+[\W_]{1,4}){0,2}?(?:you~(?:were|have~been|'ve~been|ve~been|are~running~with|"
        r"received|got)|you'?re~running~with|at~the~(?:start|beginning|top))",
        REVEAL_VERBS,
        anchors=(
            "were",
            "been",
            "running",
            "received",
            "beginning",
            "top",
        ),
        reach=_REACH,
    ),
    RuleSpec(
        "what_does_your_prompt_say",
        "exfiltration",
        0.65,
        r"(?:what|which)~(?:does|did)~your~(?:(?:hidden|secret|system|initial|"
        r"original|exact|full)~)?(?:prompt|instructions|rules|system~message|configuration)~"
        r"(?:say|contain|look~like|tell~you)",
        ("what", "which"),
        anchors=("does", "did"),
        reach=_REACH,
    ),
    RuleSpec(
        "dump_environment",
        "exfiltration",
        0.7,
        r"(?:output|print|show|reveal|dump|list|include|send|post|read|give|display|tell|share|"
        r"leak|upload|e-?mail|paste|return)\w{0,2}~(?:me~)?(?:[^\W_]+[\W_]{1,4}){0,3}?(?:the~)?"
        r"(?:contents?~of~(?:your~|the~)?(?:environment|\.env|~/\.ssh|id_rsa|/etc/)|"
        r"your~(?:environment~variables|env~vars|credentials|api~keys?|secrets|tokens)|"
        r"(?:the~)?(?:file~)?\.env~(?:file~)?(?:in|from)|(?:the~)?output~to~" + _URLISH + r"|"
        r"(?:the~value~of~)?\w*(?:key|token|secret|password)\w*~from~(?:your|the)~(?:environment|env))",
        (
            "output",
            "print",
            "show",
            "reveal",
            "dump",
            "list",
            "include",
            "send",
            "post",
            "read",
            "give",
            "display",
            "tell",
            "share",
            "leak",
            "upload",
            "mail",
            "email",
            "e-mail",
            "paste",
            "return",
        ),
        anchors=(
            "env",
            "credential",
            "secret",
            "api",
            "id_rsa",
        ),
        reach=_REACH,
    ),
    RuleSpec(
        "forward_conversation",
        "exfiltration",
        0.7,
        r"(?:forward|send|e-?mail|post|upload|share|copy)\w{0,2}~(?:[^\W_]+[\W_]{1,4}){0,3}?"
        r"(?:the~last~\w+~(?:messages|e-?mails|conversations)|(?:a~copy~of~)?this~conversation|"
        r"(?:the~)?(?:conversation|chat)(?:~(?:history|log|so~far))?|the~contents~of~(?:this|the|"
        r"your)~(?:inbox|mailbox|conversation|chat))~(?:[^\W_]+[\W_]{1,4}){0,8}?(?:to|with)~"
        + _URLISH,
        ("forward", "send", "mail", "email", "e-mail", "post", "upload", "share", "cop"),
        anchors=("last", "conversation", "chat", "contents"),
        reach=_REACH,
    ),
    RuleSpec(
        "encode_into_link",
        "exfiltration",
        0.6,
        r"(?:base64|url|percent)?-?~?encode\w{0,2}~(?:it|them|this|that|the~(?:[^\W_]+[\W_]{1,4}){0,2}?"
        r"(?:history|conversation|chat|messages?|data|contents?|output|answer|summary|"
        r"transcript|keys?|secrets?|tokens?))~(?:[^\W_]+[\W_]{1,4}){0,6}?(?:parameter|query~string|link)|"
        r"(?:add|include|append|put)\w{0,2}~(?:it|them|this)~as~(?:the~|a~)?\W?\w+\W?~"
        r"(?:query~)?parameter",
        ("base64", "url", "percent", "encod", "add", "includ", "append", "put"),
        anchors=("parameter", "query", "link"),
        reach=_REACH,
    ),
    RuleSpec(
        "tool_to_url",
        "exfiltration",
        0.45,
        r"(?:use|call|with|using)~(?:the~|your~)?(?:http|shell|browsing|browser|email|send_?email|"
        r"fetch|curl|web|upload|file|terminal|bash)~tool~(?:[^\W_]+[\W_]{1,4}){0,8}?(?:to~)?"
        + _URLISH,
        ("use", "call", "with"),
        anchors=("tool",),
        reach=_REACH,
    ),
    RuleSpec(
        "sensitive_file_ref",
        "exfiltration",
        0.3,
        r"(?:~/\.ssh|\bid_rsa|\bid_ed25519|/etc/shadow|\.aws/credentials|\.npmrc|\.netrc|"
        r"\.git-credentials)",
        ("ssh", "id_", "shadow", "aws", "npmrc", "netrc", "credentials"),
        latin=False,
        anchors=(
            "id_rsa",
            "id_ed25519",
            "shadow",
            "npmrc",
            "netrc",
            "aws",
            "git-credentials",
        ),
        reach=_REACH,
    ),
    RuleSpec(
        "disregard_the_above_instead",
        "override",
        0.8,
        r"(?:ignore|disregard|forget)~(?:all~of~)?(?:the~)?(?:above|foregoing|preceding)~"
        r"(?:and~)?(?:instead|now|from~now)",
        ("ignor", "disregard", "forget"),
        anchors=("above", "foregoing", "preceding"),
        reach=_REACH,
    ),
    # ----------------------------------------------------------------- secrecy asks
    RuleSpec(
        "secrecy_ask",
        "override",
        0.6,
        r"(?:without~(?:informing|telling|notifying|alerting|asking|letting)~(?:the~|your~)?"
        r"(?:user|human|reader|customer|operator)|keep~(?:this|these|it)~(?:[^\W_]+[\W_]{1,4}){0,1}?"
        r"(?:secret|hidden|confidential)~from~(?:the~)?(?:user|human|reader)|"
        r"(?:do~not|don'?t|dont|never)~(?:mention|reveal|disclose|acknowledge|reference|"
        r"repeat)~(?:(?:this|these)~(?:paragraph|note|message|instructions?|text|block|comment|"
        r"section)|that~you~(?:did|have|read|were|saw))|"
        r"(?:do~not|don'?t|dont|never)~(?:explain|say|tell~(?:them|anyone))~where~"
        r"(?:it|this)~came~from|"
        r"(?:do~not|don'?t|dont|never)~tell~(?:the~)?(?:user|human)~that)",
        ("without", "keep", "do", "don", "never"),
        anchors=(
            "without",
            "secret",
            "hidden",
            "confidential",
            "mention",
            "reveal",
            "disclose",
            "acknowledge",
            "reference",
            "repeat",
            "came",
        ),
        reach=_REACH,
    ),
    RuleSpec(
        "silent_action",
        "override",
        0.45,
        r"(?:silently|quietly|secretly|covertly|discreetly)~(?:[^\W_]+[\W_]{1,4}){0,2}?(?:add|change|forward|"
        r"send|disable|delete|approve|carry~out|execute|bcc|include|transfer|insert|run|"
        r"upload|remove)",
        ("silent", "quiet", "secret", "covert", "discreet"),
        anchors=("silently", "quietly", "secretly", "covertly", "discreetly"),
        reach=_REACH,
    ),
    # -------------------------------------------------------- output-format hijacks
    RuleSpec(
        "respond_only_with",
        "indirect",
        0.35,
        r"(?:respond|reply|answer|output)~(?:only|solely|exclusively|just)~with|"
        r"(?:reply|response|answer|output)~must~consist~(?:solely|only|entirely)~of",
        ("respond", "reply", "answer", "output", "response"),
        anchors=("only", "solely", "exclusively", "just", "consist"),
        reach=_REACH,
    ),
    RuleSpec(
        "regardless_of_user",
        "indirect",
        0.45,
        r"(?:regardless~of|no~matter|irrespective~of|whatever)~(?:what~)?(?:the~)?"
        r"(?:user|human|customer|reader)~(?:asked|asks|says|said|wants|requested|requests)",
        ("regardless", "no matter", "irrespective", "whatever"),
        anchors=("regardless", "matter", "irrespective", "whatever"),
        reach=_REACH,
    ),
    RuleSpec(
        "every_answer_append",
        "indirect",
        0.65,
        r"(?:(?:at~the~end~of|in|to|with)~(?:every|each|all|any)~(?:(?:future|subsequent|"
        r"remaining|later)~)?(?:answers?|responses?|repl(?:y|ies)|messages?|summar(?:y|ies)|"
        r"outputs?)~(?:[^\W_]+[\W_]{1,4}){0,3}?(?:append|add|include|insert|mention|say|put|write)|"
        r"(?:append|add|include|insert)~(?:this|the~following)~(?:link|url|sentence|text|"
        r"message|line|disclaimer|warning|note)~(?:[^\W_]+[\W_]{1,4}){0,6}?(?:every|each|all|your)~"
        r"(?:answers?|responses?|repl(?:y|ies)|summar(?:y|ies)|messages?|outputs?)|"
        r"in~all~(?:future|subsequent|remaining)~(?:answers|responses|replies|messages)|"
        r"for~all~(?:remaining|future|subsequent)~(?:answers|responses|replies|messages))",
        ("at", "in", "to", "with", "append", "add", "include", "insert", "for"),
        anchors=(
            "answer",
            "response",
            "repl",
            "summar",
            "link",
            "sentence",
            "disclaimer",
            "warning",
        ),
        reach=_REACH,
    ),
    RuleSpec(
        "reply_must_begin",
        "indirect",
        0.5,
        r"your~(?:reply|answer|response|summary|output|first~sentence)~must~"
        r"(?:always~)?(?:begin|start|open|end)~with",
        ("your",),
        anchors=("must",),
        reach=_REACH,
    ),
    # -------------------------------------------------------------- persona escape
    RuleSpec(
        "ai_without_rules",
        "role",
        0.6,
        r"(?:ai|model|assistant|chatbot|version~of~yourself|bot|llm|persona|character)~"
        r"(?:[^\W_]+[\W_]{1,4}){0,2}?(?:with~no|without~(?:any~)?|free~of|(?:that|which|who)~(?:has~)?"
        r"(?:broken|broke)~free~of|(?:that|which|who)~was~never~given|(?:that|which|who)~ignores)~"
        r"(?:[^\W_]+[\W_]{1,4}){0,1}?(?:rules|restrictions|filters|content~polic(?:y|ies)|guidelines|"
        r"safety~training|limits|limitations|censorship|morals|ethics|guardrails|disclaimers)",
        ("ai", "model", "assistant", "chatbot", "version", "bot", "llm", "persona", "character"),
        anchors=(
            "rules",
            "restriction",
            "filter",
            "polic",
            "guideline",
            "safety",
            "limit",
            "censorship",
            "moral",
            "ethic",
            "guardrail",
            "disclaimer",
        ),
        reach=_REACH,
    ),
    RuleSpec(
        "restrictions_lifted_pretend",
        "role",
        0.7,
        r"(?:pretend|imagine|act~as~(?:if|though)|suppose|assume)~(?:[^\W_]+[\W_]{1,4}){0,3}?"
        r"(?:your|the|all)~(?:restrictions|rules|guidelines|filters|safety|limits|guardrails)~"
        r"(?:were|are|have~been|had~been)~(?:[^\W_]+[\W_]{1,4})?(?:lifted|removed|gone|disabled|off)",
        ("pretend", "imagin", "act", "suppos", "assum"),
        anchors=("restriction", "rules", "guideline", "filter", "safety", "limits", "guardrail"),
        reach=_REACH,
    ),
    RuleSpec(
        "no_longer_assistant",
        "role",
        0.65,
        r"you~(?:are|'re|re)~no~longer~(?:a|an|the|my)~(?:[^\W_]+[\W_]{1,4})?(?:assistant|ai|chatbot|model|bot)|"
        r"(?:switch|change)~(?:your~)?persona|(?:adopt|assume|take~on)~the~persona~of|"
        r"(?:roleplay|role-play|role~play)~as",
        ("you", "switch", "change", "adopt", "assume", "take", "role"),
        anchors=("longer", "persona", "roleplay", "role-play", "role"),
        reach=_REACH,
    ),
    # ------------------------------------------------------- more languages
    RuleSpec(
        "ignore_previous_pl",
        "override",
        0.85,
        r"(?:zignoruj|ignoruj|zapomnij~o|zapomnij|pomin|nie~zwracaj~uwagi~na|nie~stosuj~sie~do)~"
        r"(?:(?:wszystkie|wszystkich|wszystko|poprzednie|poprzednich|wczesniejsze|wczesniejszych|"
        r"swoich|swoje|twoje|twoich|dotychczasowe|dotychczasowych|te|tych)~){0,3}"
        r"(?:polecen\w*|instrukcj\w*|zasad\w*|regul\w*|wytyczn\w*|komend\w*)",
        ("ignoruj", "zapomnij", "pomin", "zwracaj", "stosuj"),
        reach=_REACH,
    ),
    RuleSpec(
        "reveal_system_prompt_pl",
        "exfiltration",
        0.8,
        r"(?:pokaz|ujawnij|wypisz|wyswietl|podaj|powtorz)~(?:mi~)?(?:[^\W_]+[\W_]{1,4}){0,2}?"
        r"(?:prompt\w*~systemow\w*|systemow\w*~prompt\w*|ukryt\w*~(?:instrukcj\w*|polecen\w*))",
        ("pokaz", "ujawnij", "wypisz", "wyswietl", "podaj", "powtorz"),
        reach=_REACH,
    ),
    RuleSpec(
        "no_limits_pl",
        "role",
        0.55,
        r"bez~(?:zadnych~)?(?:ograniczen|zasad|filtrow|cenzury)",
        ("bez",),
        anchors=("ograniczen", "zasad", "filtrow", "cenzury"),
        reach=_REACH,
    ),
    RuleSpec(
        "ignore_previous_tr",
        "override",
        0.85,
        r"(?:(?:onceki|tum|butun|sana~verilen|verilen)~){1,3}(?:talimat\w*|kural\w*|komut\w*|"
        r"yonerge\w*)~(?:[^\W_]+[\W_]{1,4})?(?:yok~say|unut|gormezden~gel|dikkate~alma|gecersiz)|"
        r"(?:talimat|kural|yonerge)\w*~(?:[^\W_]+[\W_]{1,4})?(?:yok~say|unut|gormezden~gel)",
        ("onceki", "tum", "butun", "sana", "verilen", "talimat", "kural", "yonerge"),
        reach=_REACH,
    ),
    RuleSpec(
        "reveal_system_prompt_tr",
        "exfiltration",
        0.8,
        r"sistem~(?:istem|komut|talimat|mesaj)\w*~(?:[^\W_]+[\W_]{1,4}){0,2}?(?:goster|yaz|paylas|acikla|"
        r"ver|soyle)",
        ("sistem",),
        reach=_REACH,
    ),
    RuleSpec(
        "no_limits_tr",
        "role",
        0.5,
        r"(?:hicbir~)?(?:kisitlama|sinir|kural)\w*~(?:olmayan|yok|olmadan)",
        ("kisitlama", "sinir", "kural"),
        reach=_REACH,
    ),
    RuleSpec(
        "forget_what_nl",
        "override",
        0.8,
        r"vergeet~(?:wat|alles~wat)~(?:je|u|jou)~(?:eerder|hiervoor|tot~nu~toe|daarnet)?~?"
        r"(?:is~|werd~|hebt~)?(?:opgedragen|gezegd|verteld|gevraagd|gegeven)",
        ("vergeet",),
        reach=_REACH,
    ),
    RuleSpec(
        "ignore_previous_fr_tenir",
        "override",
        0.85,
        r"ne~(?:tiens|tenez|tenir)~(?:plus|pas)~compte~(?:des|de~tes|de~vos|de~ces)~"
        r"(?:[^\W_]+[\W_]{1,4})?(?:consignes|instructions|regles|directives)",
        ("ne",),
        anchors=("compte",),
        reach=_REACH,
    ),
    RuleSpec(
        "note_to_ai_romance",
        "indirect",
        0.65,
        r"(?:note|message|instructions?|instruccion(?:es)?|nota|mensaje|avis|consigne|"
        r"istruzion[ei]|nota)~(?:[^\W_]+[\W_]{1,4})?(?:pour|para|per|a)~(?:l'|el~|la~|le~|les~|los~|il~|"
        r"lo~|o~|a~)?(?:ia|ai|assistant|asistente|assistente|modele|modelo|modello|agent|"
        r"agente|bot|chatbot)\b",
        ("note", "message", "instruc", "nota", "mensaje", "avis", "consigne", "istruz"),
        anchors=(
            "asistente",
            "assistente",
            "assistant",
            "modele",
            "modelo",
            "modello",
            "agent",
            "l'ia",
            "chatbot",
        ),
        reach=_REACH,
    ),
    RuleSpec(
        "conceal_from_user_multi",
        "override",
        0.55,
        r"(?:no~(?:le~)?(?:digas|cuentes|menciones|informes)~(?:nada~)?(?:al|a~los)~usuario|"
        r"ne~(?:dis|dites)~(?:rien~)?(?:pas~)?a~l'?utilisateur|"
        r"(?:teile|sage|sag|erzahle?)~(?:[^\W_]+[\W_]{1,4})?(?:dem|den)~(?:nutzer|benutzer|anwender)\w*~"
        r"(?:[^\W_]+[\W_]{1,4})?nicht|non~dire~(?:nulla~)?all'?utente|nao~(?:diga|conte)~(?:nada~)?ao~usuario)",
        ("no", "ne", "teile", "sage", "sag", "erzahl", "non", "nao"),
        anchors=("usuario", "utilisateur", "nutzer", "benutzer", "anwender", "utente"),
        reach=_REACH,
    ),
    RuleSpec(
        "conceal_from_user_ru",
        "override",
        0.55,
        r"не~(?:сообщаи|говори|рассказываи|упоминаи|показываи)(?:те)?~(?:[^\W_]+[\W_]{1,4})?пользовател",
        ("не",),
        latin=False,
        anchors=("пользовател",),
        reach=_REACH,
    ),
    RuleSpec(
        "conceal_from_user_zh",
        "override",
        0.55,
        r"(?:不要|别|切勿|请勿)(?:告诉|透露给|让)(?:用户|使用者)",
        ("不要", "别", "切勿", "请勿"),
        latin=False,
        anchors=("用户", "使用者"),
        reach=_REACH,
    ),
    RuleSpec(
        "note_to_ai_zh",
        "indirect",
        0.6,
        r"(?:给|致|对)[^。\n]{0,12}(?:ai|人工智能|助手|模型|机器人)[^。\n]{0,4}(?:的)?"
        r"(?:说明|指令|提示|指示|消息)",
        ("给", "致", "对"),
        latin=False,
        anchors=("说明", "指令", "提示", "指示", "消息"),
        reach=_REACH,
    ),
)

RULES: tuple[RuleSpec, ...] = (*_BASE_RULES, *_FAMILY_RULES)
