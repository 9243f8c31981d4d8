"""The admin site in a real browser: Debian's chromium, headless, driven by selenium, against uvicorn.

The same visit runs twice, with JavaScript enabled and disabled (the site has no script; the
run without proves that nothing needs one): sign in, read the statistics in the charts and the
tables, open the devices, handle a visitor's request, sign out.  Screenshots of every page go
to the test's temporary folder (``screens/``), to be looked at.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .conftest import BUS_NAME, EXPECTED, PASSWORD, USERNAME

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

pytestmark = pytest.mark.slow

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e .[test])")
from selenium.common.exceptions import NoSuchElementException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

PAGE_LOAD_S = 30  # a generous bound for a new page to replace the old one (never reached when all is well)


def _browser_paths() -> tuple[Path, Path]:
    chromium = CHROMIUM if CHROMIUM.exists() else Path(shutil.which("chromium") or CHROMIUM)
    driver = CHROMEDRIVER if CHROMEDRIVER.exists() else Path(shutil.which("chromedriver") or CHROMEDRIVER)
    if not chromium.exists() or not driver.exists():
        pytest.skip(
            f"Debian's chromium and chromium-driver are needed ({chromium}, {driver}); "
            "install them with scripts/setup.sh --test (packaging/debian/test-packages.txt)"
        )
    return chromium, driver


def make_browser(javascript: bool, download_dir: Path):
    chromium, driver = _browser_paths()
    options = webdriver.ChromeOptions()
    options.binary_location = str(chromium)
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1280,1000",
        "--lang=fr-FR",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--force-device-scale-factor=1",
    ):
        options.add_argument(argument)
    options.add_experimental_option(
        "prefs",
        {
            "profile.managed_default_content_settings.javascript": 1 if javascript else 2,
            "intl.accept_languages": "fr-FR,fr",
            "download.default_directory": str(download_dir),
        },
    )
    service = webdriver.ChromeService(executable_path=str(driver))
    browser = webdriver.Chrome(options=options, service=service)
    browser.set_page_load_timeout(60)
    return browser


def screenshot(browser, folder: Path, name: str, width: int = 1280) -> Path:
    """The whole page as a PNG, `width` CSS pixels wide (the viewport grown to the page's height)."""
    folder.mkdir(parents=True, exist_ok=True)
    metrics = {"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": width < 600}
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    height = int(browser.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]["height"]) + 1
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {**metrics, "height": height})
    path = folder / f"{name}.png"
    browser.save_screenshot(str(path))
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    return path


def load(browser, action) -> None:
    """Do `action` (a click, a key) and wait until the next page has replaced the current one."""
    old = browser.find_element(By.TAG_NAME, "html")
    action()
    WebDriverWait(browser, PAGE_LOAD_S).until(expected_conditions.staleness_of(old))
    WebDriverWait(browser, PAGE_LOAD_S).until(
        lambda b: (
            b.execute_cdp_cmd("Runtime.evaluate", {"expression": "document.readyState"})["result"]["value"]
            == "complete"
        )
    )


def click(browser, by, value) -> None:
    element = browser.find_element(by, value)
    load(browser, element.click)


def type_date(element, day: str) -> None:
    """Type "YYYY-MM-DD" into a date field, in whatever order the browser's locale shows it."""
    year, month, number = day.split("-")
    for keys in (month + number + year, number + month + year, year + month + number):
        element.clear()
        element.send_keys(keys)
        if element.get_attribute("value") == day:
            return
    raise AssertionError(f"the date field did not take {day}")


def type_time(element, moment: str) -> None:
    """Type "HH:MM" into a time field, on a 12-hour or 24-hour clock."""
    hours, minutes = (int(x) for x in moment.split(":"))
    twelve = f"{(hours - 1) % 12 + 1:02d}{minutes:02d}{'P' if hours >= 12 else 'A'}"
    for keys in (f"{hours:02d}{minutes:02d}", twelve):
        element.clear()
        element.send_keys(keys)
        if element.get_attribute("value") == moment:
            return
    raise AssertionError(f"the time field did not take {moment}")


def svg_texts(browser, chart_id: str) -> list[str]:
    chart = browser.find_element(By.ID, chart_id)
    return [element.text for element in chart.find_elements(By.CSS_SELECTOR, "text")]


def table_rows(browser, details_id: str) -> dict[str, tuple[int, int]]:
    details = browser.find_element(By.ID, details_id)
    details.find_element(By.TAG_NAME, "summary").click()  # <details> opens without any script
    rows = {}
    for row in details.find_elements(By.CSS_SELECTOR, "tbody tr"):
        label = row.find_element(By.TAG_NAME, "th").text
        cells = [cell.text for cell in row.find_elements(By.TAG_NAME, "td")]
        rows[label] = (int(cells[0]), int(cells[1]))
    return rows


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_an_administrator_works_through_the_site_in_chromium(live_hq, admin_user, filled, tmp_path, javascript):
    browser = make_browser(javascript, tmp_path / "downloads")
    screens = tmp_path / "screens"
    try:
        # The browser really runs scripts, or really does not.
        browser.get("data:text/html,<title>sans</title><script>document.title='avec'</script>")
        assert browser.title == ("avec" if javascript else "sans")

        browser.get(f"{live_hq.url}/admin/demandes")
        assert browser.current_url.startswith(f"{live_hq.url}/admin/login?suivant=")
        assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
        # The first Tab reaches the skip link.
        browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
        assert browser.switch_to.active_element.text == "Aller au contenu"
        screenshot(browser, screens, "01-connexion")

        browser.find_element(By.ID, "identifiant").send_keys(USERNAME)
        browser.find_element(By.ID, "mot_de_passe").send_keys("pas le bon mot de passe")
        click(browser, By.CSS_SELECTOR, "form button[type=submit]")
        assert "Identifiant ou mot de passe incorrect" in browser.find_element(By.CSS_SELECTOR, "[role=alert]").text
        screenshot(browser, screens, "02-erreur")
        password = browser.find_element(By.ID, "mot_de_passe")
        password.clear()
        password.send_keys(PASSWORD)
        load(browser, lambda: password.send_keys(Keys.ENTER))
        # Back to the page first asked for.
        assert browser.current_url == f"{live_hq.url}/admin/demandes"
        assert browser.get_cookie("numeribus_admin")["httpOnly"] is True
        assert browser.get_cookie("numeribus_admin")["sameSite"] == "Strict"
        if javascript:  # out of reach of the page's scripts
            assert "numeribus_admin" not in browser.execute_script("return document.cookie")

        click(browser, By.LINK_TEXT, "Tableau de bord")
        assert browser.find_element(By.TAG_NAME, "h1").text == "Tableau de bord"
        assert browser.find_element(By.ID, "total-seances").text == str(EXPECTED["sessions"])
        assert browser.find_element(By.ID, "total-participants").text == str(EXPECTED["participants"])
        words = svg_texts(browser, "graphique-publics")
        for label, (count, people) in EXPECTED["publics"].items():
            assert label in words and str(count) in words and str(people) in words
        assert browser.find_element(By.ID, "graphique-communes").get_attribute("role") == "img"
        screenshot(browser, screens, "03-tableau-de-bord")
        screenshot(browser, screens, "03-tableau-de-bord-telephone", width=400)
        assert table_rows(browser, "tableau-activites") == EXPECTED["activities"]
        months = table_rows(browser, "tableau-mois")
        assert {k: v for k, v in months.items() if v != (0, 0)} == EXPECTED["months"]

        # The period form (GET) without any script.
        month = browser.find_element(By.ID, "mois")
        if month.get_attribute("type") == "month":  # chromium's own month field: type the month, Tab, year
            month.send_keys("novembre", Keys.TAB, "2026")
        else:
            month.send_keys("2026-11")
        click(browser, By.XPATH, "//button[normalize-space()='Afficher']")
        assert "mois=2026-11" in browser.current_url
        assert browser.find_element(By.ID, "total-seances").text == "2"
        assert browser.find_element(By.ID, "titre-resume").text == "Période : novembre 2026"

        click(browser, By.LINK_TEXT, "Appareils")
        row = browser.find_element(By.ID, "liste-appareils").find_element(By.CSS_SELECTOR, "tbody tr")
        assert BUS_NAME in row.text and "Actif" in row.text and "4\u202f321" in row.text
        screenshot(browser, screens, "04-appareils")

        click(browser, By.LINK_TEXT, "Demandes")
        cards = browser.find_element(By.ID, "liste-demandes")
        assert "Zoé Martin" in cards.text and "Le Petit Prince" in cards.text
        screenshot(browser, screens, "05-demandes")
        button = cards.find_element(By.XPATH, ".//button[starts-with(normalize-space(), 'Marquer comme traitée')]")
        load(browser, button.click)
        assert browser.find_element(By.CSS_SELECTOR, "[role=status]").text == "La demande est marquée comme traitée."
        with pytest.raises(NoSuchElementException):
            browser.find_element(By.ID, "liste-demandes")
        click(browser, By.PARTIAL_LINK_TEXT, "Traitées")
        assert "Traitée au siège" in browser.find_element(By.ID, "liste-demandes").text

        for name, link in (("06-avis", "Avis et bénévoles"), ("07-exports", "Exports")):
            click(browser, By.LINK_TEXT, link)
            assert browser.find_element(By.TAG_NAME, "h1").text
            screenshot(browser, screens, name)

        # A passage of the bus schedule, typed in the browser's own date and time fields.
        click(browser, By.LINK_TEXT, "Calendrier")
        click(browser, By.LINK_TEXT, "Ajouter un passage")
        type_date(browser.find_element(By.ID, "champ-date"), "2026-12-01")
        type_time(browser.find_element(By.ID, "champ-start"), "09:30")
        type_time(browser.find_element(By.ID, "champ-end"), "08:00")  # a mistake, said in French
        browser.find_element(By.ID, "champ-commune").send_keys("Noirétable")
        click(browser, By.XPATH, "//button[normalize-space()='Enregistrer le passage']")
        assert (
            "L’heure de fin doit venir après l’heure de début."
            in browser.find_element(By.CSS_SELECTOR, "[role=alert]").text
        )
        screenshot(browser, screens, "08-passage-erreur")
        type_time(browser.find_element(By.ID, "champ-end"), "12:00")
        browser.find_element(By.ID, "champ-place").send_keys("Place de l'Église")
        click(browser, By.XPATH, "//button[normalize-space()='Enregistrer le passage']")
        assert "Passage enregistré" in browser.find_element(By.CSS_SELECTOR, "[role=status]").text
        passages = browser.find_element(By.ID, "liste-passages").text
        assert "mardi 1er décembre 2026" in passages and "9 h 30 – 12 h" in passages and "Noirétable" in passages
        screenshot(browser, screens, "09-calendrier")

        click(browser, By.XPATH, "//button[normalize-space()='Se déconnecter']")
        assert browser.current_url == f"{live_hq.url}/admin/login?deconnecte=1"
        assert "Vous êtes déconnecté·e." in browser.find_element(By.CSS_SELECTOR, "[role=status]").text
        browser.get(f"{live_hq.url}/admin")
        assert "/admin/login" in browser.current_url
    finally:
        browser.quit()
