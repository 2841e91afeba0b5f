"""Bout en bout, page Stratégies : du modèle à la stratégie enregistrée, en passant par « Tester »."""

import re

from playwright.sync_api import expect

SHOULD_LONG = "    def should_long(self) -> bool:"


def editor_line(page, text: str):
    return page.locator(".cm-line", has_text=text)


def test_create_from_template_break_test_fix_save_reload(dev_app, page):
    page.goto(dev_app.url + "/strategies")
    page.get_by_test_id("strategy-new").click()
    name = page.get_by_test_id("strategy-name-input")
    expect(name).to_have_value(re.compile("^Nouvelle stratégie"))
    name.fill("E2E croisement")
    line = editor_line(page, "def should_long")
    expect(line).to_have_text(SHOULD_LONG)

    line.click()
    page.keyboard.press("End")
    page.keyboard.press("Backspace")  # « def should_long(self) -> bool » sans ses deux-points
    page.get_by_test_id("strategy-test").click()
    expect(page.get_by_test_id("test-failed")).to_be_visible()
    marked = page.locator(".cm-error-line")
    expect(marked).to_have_count(1)
    expect(marked).to_have_text(SHOULD_LONG[:-1])
    expect(page.get_by_test_id("editor-error-message")).to_have_text(re.compile(r"^Ligne \d+"))
    expect(page.get_by_test_id("test-error").first).to_contain_text("Ligne")

    editor_line(page, "def should_long").click()
    page.keyboard.press("End")
    page.keyboard.type(":")
    page.get_by_test_id("strategy-test").click()
    expect(page.get_by_test_id("test-ok")).to_contain_text("Test réussi")
    expect(marked).to_have_count(0)

    page.keyboard.press("Control+s")
    expect(page.get_by_test_id("strategy-saved")).to_have_text("Stratégie enregistrée.")
    row = page.get_by_test_id("strategy-row").filter(has_text="E2E croisement")
    expect(row).to_have_count(1)

    page.reload()
    row.click()
    expect(page.get_by_test_id("strategy-name-input")).to_have_value("E2E croisement")
    expect(editor_line(page, "def should_long")).to_have_text(SHOULD_LONG)
    listed = page.request.get(dev_app.url + "/api/strategies/").json()
    listed = listed["results"] if isinstance(listed, dict) else listed
    (row_id,) = [s["id"] for s in listed if s["name"] == "E2E croisement"]
    strategy = page.request.get(f"{dev_app.url}/api/strategies/{row_id}/").json()
    assert SHOULD_LONG + "\n" in strategy["code"]
    assert strategy["timeframe"] == "15m"


def test_a_method_typed_by_hand_in_the_template_passes_the_test(dev_app, page):
    """Indentation Python au clavier : Entrée après « return » redescend d'un niveau, après « : » monte de 4 ;
    Retour arrière retire un niveau, Tab le remet."""
    page.goto(dev_app.url + "/strategies")
    page.get_by_test_id("strategy-new").click()
    editor_line(page, 'return self.price * Decimal("1.03")').click()
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type("def doubled(self, x):")
    page.keyboard.press("Enter")
    page.keyboard.type("y = x * 2")
    page.keyboard.press("Enter")
    page.keyboard.press("Backspace")
    page.keyboard.press("Tab")
    page.keyboard.type("return y")
    expect(editor_line(page, "def doubled")).to_have_text("    def doubled(self, x):")
    expect(editor_line(page, "y = x * 2")).to_have_text("        y = x * 2")
    expect(editor_line(page, "return y")).to_have_text("        return y")
    page.get_by_test_id("strategy-test").click()
    expect(page.get_by_test_id("test-ok")).to_contain_text("Test réussi")
