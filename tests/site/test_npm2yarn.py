"""@docusaurus/remark-plugin-npm2yarn: a docs instance that lists it shows each ```` ```bash npm2yarn ````
block as tabs (npm, then each converter: Yarn and pnpm unless `converters` says otherwise), the
commands converted by npm-to-yarn, the package the plugin calls (bundled, run in QuickJS)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bookctl.config import Settings
from bookctl.site.loader import load_site
from bookctl.site.siteconfig import read_site_config

CONFIGS = Path(__file__).resolve().parent.parent / "corpora" / "configs"

# Read off each real config by hand: the docs instances whose remarkPlugins hold the plugin, with
# the converters they give (electron docusaurus.config.ts:310, jest .mjs:64, typescript-eslint
# .mts:18/37/58, webdriverio .ts:245); the other ten configs do not use it for docs.
EXPECTED = {
    "electron": {"default": ("yarn",)},
    "jest": {"default": ("yarn", "pnpm")},
    "typescript-eslint": {"rules-docs": ("yarn", "pnpm"), "base-docs": ("yarn", "pnpm")},
    "webdriverio": {"default": ("yarn", "pnpm")},
}


@pytest.mark.parametrize("name", sorted(p.name for p in CONFIGS.iterdir() if p.is_dir()))
def test_real_configs_say_which_instances_use_the_plugin(name: str) -> None:
    config = read_site_config(CONFIGS / name)
    assert config is not None
    found = {i.id: i.npm2yarn.converters for i in config.instances if i.npm2yarn is not None}
    assert found == EXPECTED.get(name, {})


def _site(root: Path, plugins: str) -> Path:
    (root / "docs").mkdir()
    (root / "docusaurus.config.js").write_text(
        f"module.exports = {{presets: [['classic', {{docs: {{remarkPlugins: {plugins}}}}}]]}};\n"
    )
    (root / "docs" / "install.md").write_text(
        "# Install\n\n"
        "```bash npm2yarn\nnpm install --save-dev jest\nnpm run build\n```\n\n"
        '```bash npm2yarn title="not exactly the meta"\nnpm install left-alone\n```\n\n'
        "## Next\n\nDone.\n"
    )
    return root


def test_a_block_becomes_one_tab_per_package_manager(tmp_path: Path) -> None:
    plugins = "[[require('@docusaurus/remark-plugin-npm2yarn'), {sync: true, converters: ['pnpm', 'bun']}]]"
    doc = load_site(Settings(site=_site(tmp_path, plugins))).doc("install")
    assert doc is not None
    expected = (
        "**npm:**\n```bash\nnpm install --save-dev jest\nnpm run build\n```\n"
        "**pnpm:**\n```bash\npnpm add --save-dev jest\npnpm run build\n```\n"
        "**Bun:**\n```bash\nbun add --dev jest\nbun run build\n```\n"
    )
    assert expected in doc.markdown
    assert doc.markdown.count("left-alone") == 1  # its meta is not exactly `npm2yarn`: one block, as written
    assert [h.anchor for h in doc.headings] == ["install", "next"]
    assert len(doc.markdown_lines) == len(doc.markdown.split("\n"))


def test_the_default_converters_and_no_plugin(tmp_path: Path) -> None:
    (tmp_path / "with").mkdir()
    (tmp_path / "without").mkdir()
    doc = load_site(
        Settings(site=_site(tmp_path / "with", "[require('@docusaurus/remark-plugin-npm2yarn')]"))
    ).doc("install")
    assert doc is not None
    assert "**Yarn:**\n```bash\nyarn add --dev jest\nyarn build\n```" in doc.markdown
    assert "**pnpm:**" in doc.markdown and "**Bun:**" not in doc.markdown
    plain = load_site(Settings(site=_site(tmp_path / "without", "[]"))).doc("install")
    assert plain is not None
    assert (
        "**npm:**" not in plain.markdown and "```bash npm2yarn\nnpm install --save-dev jest" in plain.markdown
    )
