"""A locale the config gives no `label` is named as Docusaurus names it: Node's
`Intl.DisplayNames(code, {type: 'language'}).of(code)`, first letter upper-cased
(@docusaurus/core's getDefaultLocaleLabel). The ground truth is Node itself, on the locales
Docusaurus sites use and some with scripts, territories and old codes."""

from __future__ import annotations

import json
import shutil
import subprocess

from bookctl.site.siteconfig import locale_label

CODES = (
    "en fr de es it pt pt-BR pt-PT ja ko zh zh-Hans zh-Hant zh-CN zh-TW zh-HK ru uk pl nl sv da fi nb no"
    " cs sk sl hr sr sr-Latn sr-Cyrl bg ro hu el tr ar fa he ur hi bn ta te mr gu kn ml pa th vi id ms"
    " fil tl iw in ka hy az kk uz mn ne si km lo my am sw af ca gl eu cy ga is et lv lt be"
    " en-US en-GB en-AU en-IN fr-CA fr-FR de-CH de-AT es-ES es-MX es-419 yue yue-Hant ckb ps"
).split()
NODE_LABELS = (
    "const out = {};"
    "for (const code of JSON.parse(process.argv[1])) {"
    "  const name = new Intl.DisplayNames(code, {type: 'language'}).of(code);"
    "  out[code] = name.charAt(0).toLocaleUpperCase(code) + name.substring(1);"
    "}"
    "console.log(JSON.stringify(out));"
)


def test_unlabelled_locales_are_named_as_node_names_them() -> None:
    node = shutil.which("node")
    assert node, "Node is needed for this test's ground truth (Intl.DisplayNames)"
    result = subprocess.run(
        [node, "-e", NODE_LABELS, json.dumps(CODES)], capture_output=True, text=True, check=True
    )
    expected = json.loads(result.stdout)
    assert {code: locale_label(code) for code in CODES} == expected


def test_a_code_nobody_knows_is_its_own_label() -> None:
    assert locale_label("qq") == "qq"
