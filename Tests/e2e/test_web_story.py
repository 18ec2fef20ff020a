"""End-to-end tests of the MEDK web interface in a real browser.

Debian's Chromium driven by Selenium against the real `medk serve` on a free local port,
on a fresh data directory seeded through the `medk` CLI. The server is started and stopped
here. Screenshots of the main pages are written only when asked: MEDK_SCREENSHOTS=1 writes them to
docs/screenshots/ (the README's pictures), MEDK_SCREENSHOTS=DIR to DIR; a plain test run leaves the checkout as it was.
"""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from selenium_axe_python import Axe

ROOT = Path(__file__).resolve().parents[2]
MEDK = Path(os.environ.get("MEDK_BIN", ROOT / ".build" / "debug" / "medk"))
_SHOTS = os.environ.get("MEDK_SCREENSHOTS", "")
SCREENSHOTS = None if _SHOTS in ("", "0") else (ROOT / "docs" / "screenshots" if _SHOTS == "1" else Path(_SHOTS))
PASSWORD = "e2e-пароль-2027"
CAMPAIGN = "e2e-2027"

REGIONS = "code;name;time_zone\n75;Забайкальский край;Asia/Chita\n"
MUNICIPALITIES = "code;name;region_code\n75001;Балейский муниципальный округ;75\n75002;Городской округ «Город Чита»;75\n"
SCHOOLS = (
    "code;name;municipality_code;low_results;hard_social;programme_years\n"
    "750010001;МОУ «Балейская СОШ № 1»;75001;да;нет;2027\n"
    "750010002;МОУ «Ундино-Посельская СОШ»;75001;да;да;2027\n"
    "750020001;МБОУ «СОШ № 7» г. Читы;75002;да;нет;2027\n"
)
USERS = (
    "login;full_name;email;role;scope_code\n"
    "region75;Соколова Анна Викторовна;;regional;75\n"
    "mun-baley;Кузнецов Олег Петрович;;municipal;75001\n"
    "curator-ivanova;Иванова Елена Николаевна;;curator;75\n"
    "curator-petrov;Петров Сергей Иванович;;curator;75\n"
    "school-1;Команда Балейской СОШ № 1;;school;750010001\n"
    "school-2;Команда Ундино-Посельской СОШ;;school;750010002\n"
    "fioco;Оператор ФИОКО;;federal;\n"
)
ASSIGNMENTS = (
    "campaign_code;school_code;curator_login\n"
    f"{CAMPAIGN};750010001;curator-ivanova\n"
    f"{CAMPAIGN};750010002;curator-petrov\n"
    f"{CAMPAIGN};750020001;curator-petrov\n"
)


def minimal_pdf(title: str) -> bytes:
    """A valid one-page PDF, so Chromium's viewer can show the inline preview."""
    content = f"BT /F1 24 Tf 72 720 Td ({title}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


class MEDKServer:
    """`medk serve` on a fresh, CLI-seeded data directory and a free port."""

    def __init__(self):
        self.directory = Path(tempfile.mkdtemp(prefix="medk-e2e-"))
        self.data = self.directory / "data"
        self.process = None
        self.port = None

    def cli(self, *args):
        env = dict(os.environ, MEDK_PASSWORD=PASSWORD)
        result = subprocess.run([str(MEDK), *args, "--data-dir", str(self.data)], env=env,
                                capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise RuntimeError(f"medk {' '.join(args)} failed: {result.stdout}\n{result.stderr}")
        return result.stdout

    def seed(self):
        self.cli("init", "--admin", "admin", "--name", "Администратор МЭДК")
        for kind, text in [("regions", REGIONS), ("municipalities", MUNICIPALITIES), ("schools", SCHOOLS), ("users", USERS)]:
            path = self.directory / f"{kind}.csv"
            path.write_text(text, encoding="utf-8")
            self.cli("import", kind, str(path))
        for line in USERS.splitlines()[1:]:
            self.cli("users", "passwd", line.split(";")[0])
        self.cli("campaign", "create", CAMPAIGN, "--name", "500+ 2027", "--year", "2027")
        path = self.directory / "assignments.csv"
        path.write_text(ASSIGNMENTS, encoding="utf-8")
        self.cli("import", "assignments", str(path))

    def start(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.log = open(self.directory / "server.log", "w")
        self.process = subprocess.Popen([str(MEDK), "serve", "--data-dir", str(self.data), "--port", str(self.port)],
                                        stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("medk serve did not answer /health within 60 s")

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def stop(self):
        if self.process:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self.log.close()
        shutil.rmtree(self.directory, ignore_errors=True)


def chromium(downloads):
    options = Options()
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1280,1000", "--lang=ru-RU", "--force-device-scale-factor=1"]:
        options.add_argument(argument)
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    driver = webdriver.Chrome(service=service, options=options)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.implicitly_wait(5)
    return driver


class ReviewStoryInTheBrowser(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = MEDKServer()
        cls.server.seed()
        cls.server.start()
        cls.files = Path(tempfile.mkdtemp(prefix="medk-e2e-files-"))
        cls.downloads = cls.files / "downloads"
        cls.downloads.mkdir()
        cls.browser = chromium(cls.downloads)
        # Every page the stories reach is checked by axe-core once per width (ids in paths aside).
        cls.audited = {}
        cls.violations = []
        if SCREENSHOTS is not None:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    @classmethod
    def tearDownClass(cls):
        cls.browser.quit()
        cls.server.stop()
        shutil.rmtree(cls.files, ignore_errors=True)

    # Helpers -----------------------------------------------------------------------------

    def open(self, path):
        self.browser.get(self.server.url + path)
        self.audit()

    def audit(self, variant=""):
        """Runs axe-core on the page now shown, once per kind of page (and variant of it, such as a
        document with remarks to answer) and window width; keeps the serious and critical violations
        for `test_99_accessibility`."""
        url = self.browser.current_url
        if not url.startswith(self.server.url):
            return
        import re
        path = url[len(self.server.url):].split("#")[0]
        width = self.browser.get_window_size()["width"]
        key = (re.sub(r"\d+", "N", path.split("?")[0]) + variant, width)
        if key in self.audited or self.browser.execute_script("return document.contentType") != "text/html":
            return
        axe = Axe(self.browser)
        axe.inject()
        result = axe.run()
        serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
        self.audited[key] = len(serious)
        for violation in serious:
            self.violations.append(f"{path} at {width} px: {violation['id']} ({violation['impact']}) — "
                                   f"{violation['help']}: {[node['target'] for node in violation['nodes'][:3]]}")

    def login(self, login):
        self.browser.delete_all_cookies()
        self.open("/login")
        self.browser.find_element(By.ID, "login").send_keys(login)
        self.browser.find_element(By.ID, "password").send_keys(PASSWORD)
        self.submit(self.browser.find_element(By.CSS_SELECTOR, "form[action='/login'] button[type=submit]"))
        self.assertNotIn("/login", self.browser.current_url, f"{login} could not log in: {self.text()}")

    def text(self):
        return self.browser.find_element(By.TAG_NAME, "body").text

    def submit(self, button):
        """Clicks a button that submits a form and waits until the next page has loaded.

        A marker set on the old page disappears with it; checking it (rather than an old
        element's staleness) does not trip over Chromium's races during navigation."""
        self.browser.execute_script("window.__medkOldPage = true")
        button.click()

        def next_page_loaded(driver):
            try:
                return driver.execute_script(
                    "return window.__medkOldPage === undefined && document.readyState === 'complete'")
            except WebDriverException:
                return False  # the page is being replaced right now

        WebDriverWait(self.browser, 15).until(next_page_loaded)
        self.audit()

    def click_button(self, label):
        for button in self.browser.find_elements(By.CSS_SELECTOR, "button"):
            if button.text.strip() == label:
                self.submit(button)
                return
        self.fail(f"no button «{label}» on {self.browser.current_url}:\n{self.text()}")

    def upload(self, name, title):
        path = self.files / name
        path.write_bytes(minimal_pdf(title))
        self.browser.find_element(By.ID, "file").send_keys(str(path))
        self.click_button("Загрузить")

    def downloaded(self, suffix, timeout=20):
        """The file the browser finished downloading (Chromium writes *.crdownload until it is done)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            done = [path for path in self.downloads.iterdir() if path.suffix == suffix]
            if done:
                return done[0]
            time.sleep(0.2)
        self.fail(f"no {suffix} download within {timeout} s: {list(self.downloads.iterdir())}")

    def state(self):
        return self.browser.find_element(By.CSS_SELECTOR, ".meta .badge").text

    def assertDecided(self, state):
        """After a decision the reviewer is taken on to the next document of the queue (or the queue);
        the message at the top says what became of the one decided."""
        flash = self.browser.find_element(By.CSS_SELECTOR, ".flash-ok").text
        self.assertIn(f"теперь «{state}»", flash)
        self.assertTrue("Следующий в очереди" in flash or "Очередь проверки пуста" in flash, flash)

    def shot(self, name, full_page=False):
        """Saves a screenshot when asked (MEDK_SCREENSHOTS); a full page is taken by growing the window."""
        if SCREENSHOTS is None:
            return
        if not full_page:
            self.browser.save_screenshot(str(SCREENSHOTS / f"{name}.png"))
            return
        size = self.browser.get_window_size()
        height = self.browser.execute_script("return document.documentElement.scrollHeight")
        self.browser.set_window_size(size["width"], min(max(height + 140, size["height"]), 4000))
        try:
            self.browser.save_screenshot(str(SCREENSHOTS / f"{name}.png"))
        finally:
            self.browser.set_window_size(size["width"], size["height"])

    # The story ---------------------------------------------------------------------------

    def test_1_review_story(self):
        # The school starts its development concept from the cabinet, uploads it and submits.
        self.login("school-1")
        self.assertIn("/schools/750010001", self.browser.current_url)
        self.assertIn("Контрольные точки", self.text())
        row = self.browser.find_element(By.XPATH, "//tr[th[contains(., 'Концепция развития')]]")
        self.submit(row.find_element(By.XPATH, ".//button[normalize-space()='Начать']"))
        self.assertIn("Файл ещё не загружен", self.text())
        concept_url = self.browser.current_url
        self.upload("Концепция развития.pdf", "Concept v1")
        self.assertIn("загружен как версия 1", self.text())
        self.click_button("Отправить на проверку")
        self.assertEqual(self.state(), "на проверке")
        self.open("/school")
        self.shot("school-cabinet", full_page=True)

        # Its curator finds it in the queue and returns it with a comment.
        self.login("curator-ivanova")
        self.assertIn("/queue", self.browser.current_url)
        self.assertIn("Концепция развития", self.text())
        self.shot("curator-queue")
        self.browser.find_element(By.LINK_TEXT, "Концепция развития").click()
        self.assertTrue(self.browser.find_elements(By.CSS_SELECTOR, "iframe.preview"), "a PDF has an inline preview")
        self.browser.find_element(By.ID, "return-comment").send_keys(
            "- Цели концепции не связаны с выбранными рисками.\n- Уточните задачи по каждому фактору.")
        self.click_button("Вернуть на доработку")
        self.assertDecided("на доработке")

        # The school sees each remark, cannot send again before answering them, answers one as
        # fixed and one as not (saying why), and sends the second version.
        self.login("school-1")
        self.browser.get(concept_url)
        self.assertIn("Замечания проверяющего (2)", self.text())
        self.assertIn("Цели концепции не связаны с выбранными рисками", self.text())
        self.shot("school-item-returned", full_page=True)
        self.audit(" remarks to answer")
        self.upload("Концепция развития v2.pdf", "Concept v2")
        self.assertIn("загружен как версия 2", self.text())
        self.click_button("Отправить на проверку")
        self.assertIn("Нет ответа на замечание «Цели концепции", self.text())
        self.assertEqual(self.state(), "на доработке")
        remarks = self.browser.find_elements(By.CSS_SELECTOR, "ol.remarks > li")
        self.assertEqual(len(remarks), 2)
        remarks[0].find_element(By.XPATH, ".//label[normalize-space()='Исправлено']").click()
        remarks[1].find_element(By.XPATH, ".//label[normalize-space()='Не исправлено']").click()
        self.click_button("Сохранить ответы")
        self.assertIn("Напишите, почему замечание не исправлено", self.text())
        remarks = self.browser.find_elements(By.CSS_SELECTOR, "ol.remarks > li")
        self.assertTrue(remarks[1].find_element(By.XPATH, ".//input[@value='declined']").is_selected(),
                        "the refused form keeps what was chosen")
        remarks[1].find_element(By.TAG_NAME, "textarea").send_keys("Задачи по каждому фактору — в разделе 3, с. 7.")
        self.click_button("Сохранить ответы")
        self.assertIn("На все замечания есть ответ", self.text())
        self.click_button("Отправить на проверку")
        self.assertEqual(self.state(), "на проверке")

        # The curator sees the answers and the previous version next to the new one, and confirms.
        self.login("curator-ivanova")
        self.browser.get(concept_url)
        self.assertIn("Задачи по каждому фактору — в разделе 3, с. 7.", self.text())
        self.assertIn("Оставить открытым: «Уточните задачи по каждому фактору.»", self.text())
        self.assertIn("Предыдущая версия 1", self.text())
        self.shot("curator-item", full_page=True)
        self.audit(" answers to decide on")
        self.click_button("Подтвердить")
        self.assertDecided("подтверждено")

        # The municipal coordinator lands on her dashboard and opens the compliance table from the menu.
        self.login("mun-baley")
        self.assertIn("/dashboard", self.browser.current_url)
        self.browser.find_element(By.LINK_TEXT, "Мониторинг сроков").click()
        row = self.browser.find_element(By.XPATH, "//tr[th[.//a[contains(., 'Балейская СОШ № 1')]]]")
        # Headers carry soft hyphens, so that a region's table fits the screen.
        headers = [cell.text.replace("\xad", "") for cell in self.browser.find_elements(By.CSS_SELECTOR, "table.compliance thead th")]
        concept_column = next(i for i, text in enumerate(headers) if text.startswith("Концепция развития"))
        cells = row.find_elements(By.CSS_SELECTOR, "td")
        self.assertEqual(cells[concept_column - 1].text.splitlines(), ["в срок", "сейчас: подтверждено"])
        self.shot("coordinator-monitoring")
        # The cell opens the document it is about.
        self.submit(cells[concept_column - 1].find_element(By.TAG_NAME, "a"))
        self.assertEqual(self.browser.current_url.split("#")[0], concept_url)
        self.browser.back()

        # She downloads the table as Excel and finds the same school on time in it.
        self.browser.find_element(By.LINK_TEXT, "Скачать Excel").click()
        workbook = self.downloaded(".xlsx")
        import openpyxl
        sheet = openpyxl.load_workbook(workbook).worksheets[0]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        header = next(row for row in rows if row[0] == "Регион")
        school = next(row for row in rows if row[3] == "МОУ «Балейская СОШ № 1»")
        concept = next(i for i, title in enumerate(header) if title and title.startswith("Концепция развития"))
        self.assertTrue(school[concept].startswith("в срок (до "), school)
        self.assertIsInstance(school[header.index("Мероприятий")], int)
        self.assertEqual(sheet.freeze_panes, f"A{rows.index(header) + 2}")

        # She sees how quickly the curators decide: the returned and the confirmed version both count.
        self.browser.find_element(By.LINK_TEXT, "Сроки проверки").click()
        row = self.browser.find_element(By.XPATH, "//tr[th[contains(., 'curator-ivanova')]]")
        cells = [cell.text for cell in row.find_elements(By.CSS_SELECTOR, "td")]
        self.assertEqual(cells[0], "2", cells)
        self.assertTrue(cells[1].startswith("1 (50 %)"), cells)
        self.assertEqual(len(self.browser.find_elements(By.CSS_SELECTOR, "svg.bars rect.bar-median")), 1)
        self.assertNotIn("самый медленный", self.text(), "one curator has nobody to be slower than")
        self.shot("review-times", full_page=True)

    def test_10_results_from_data_to_an_approved_list(self):
        # The region loads its schools' results and social context, draws up a draft list; the
        # municipality objects to a line; the region accepts and approves; the chart shows them.
        components = ["Код школы;Год;Экзамен;Предмет;Средний балл;Участников"]
        for year, means in ((2025, (3.2, 3.9, 4.4)), (2026, (3.1, 4.0, 4.5)), (2027, (3.0, 4.1, 4.3))):
            for code, mean in zip(("750010001", "750010002", "750020001"), means):
                components.append(f"{code};{year};ОГЭ;математика;{mean:.1f}".replace(".", ",") + ";48")
        social = ["Код школы;Год;Показатель;Значение"] + [
            f"{code};2025;Доля обучающихся из неполных семей;{value}" for code, value in
            (("750010001", "0,41"), ("750010002", "0,18"), ("750020001", "0,22"))]
        self.login("region75")
        self.open("/results")
        self.assertIn("Начните с данных", self.text())
        for kind, lines in (("components", components), ("social", social)):
            path = self.files / f"{kind}.csv"
            path.write_bytes("\r\n".join(lines).encode("cp1251"))
            self.browser.find_element(By.CSS_SELECTOR, f"input[name=kind][value={kind}]").click()
            self.browser.find_element(By.ID, "rs-file").send_keys(str(path))
            self.click_button("Проверить")
            self.assertIn("ничего ещё не записано", self.text())
            self.click_button("Загрузить")
            self.assertIn("Загружено", self.browser.find_element(By.CSS_SELECTOR, ".flash-ok").text)
        self.browser.find_element(By.ID, "dr-year").clear()
        self.browser.find_element(By.ID, "dr-year").send_keys("2027")
        for field in ("dr-rcut", "dr-scut"):
            self.browser.find_element(By.ID, field).clear()
            self.browser.find_element(By.ID, field).send_keys("50")
        self.click_button("Составить проект")
        self.assertIn("Проект списка составлен", self.browser.find_element(By.CSS_SELECTOR, ".flash-ok").text)
        list_path = self.browser.current_url[len(self.server.url):].split("?")[0]
        self.open("/results")
        self.assertEqual(len(self.browser.find_elements(By.CSS_SELECTOR, "figure.quadrant circle.pt")), 3, "every school is a point")
        self.shot("results", full_page=True)

        self.login("mun-baley")
        self.open(list_path + "?filter=all")
        self.assertNotIn("СОШ № 7", self.text(), "a municipality sees its own schools only")
        self.browser.find_element(By.PARTIAL_LINK_TEXT, "Возразить").click()
        self.audit("objection")
        self.browser.find_element(By.ID, "ob-reason").send_keys("В школе сменилась администрация, результаты 2027 года — случайность.")
        wanted = self.browser.find_element(By.CSS_SELECTOR, "input[name=wantLowResults]")
        if wanted.is_selected():
            wanted.click()
        self.browser.find_element(By.CSS_SELECTOR, "input[name=wantHardSocial]").click()
        self.click_button("Отправить возражение")
        flash = self.browser.find_elements(By.CSS_SELECTOR, ".flash-ok")
        if not flash:
            # The rules may already propose what was asked: the refusal says so and keeps the reason.
            self.assertIn("В школе сменилась администрация", self.browser.find_element(By.ID, "ob-reason").get_attribute("value"))
            self.browser.find_element(By.CSS_SELECTOR, "input[name=wantLowResults]").click()
            self.click_button("Отправить возражение")
            flash = self.browser.find_elements(By.CSS_SELECTOR, ".flash-ok")
        self.assertIn("отправлено региону", flash[0].text)

        self.login("region75")
        self.open(list_path + "?filter=objected")
        self.browser.find_element(By.CSS_SELECTOR, "input[name=decision][value=accept]").click()
        self.click_button("Сохранить решение")
        self.assertIn("принято", self.browser.find_element(By.CSS_SELECTOR, ".flash-ok").text)
        self.shot("results-list", full_page=True)
        self.browser.find_element(By.CSS_SELECTOR, "input[name=closeEarly]").click()
        self.click_button("Утвердить список")
        self.assertIn("утверждён", self.browser.find_element(By.CSS_SELECTOR, ".flash-ok").text)
        self.assertIn("утверждён", self.text())
        # The concept's indicators: a plan read back before it is kept.
        self.open("/results/indicators?year=2027")
        self.click_button("Принять показатели концепции")
        self.browser.find_element(By.XPATH, "//summary[contains(., 'Задать план')]").click()
        self.browser.find_element(By.CSS_SELECTOR, "input[name=wording]").send_keys("не менее 11% школ данной категории")
        self.click_button("Прочитать план")
        self.assertIn("не менее 11 % школ", self.browser.find_element(By.ID, "check").text)
        self.click_button("Верно, сохранить план")
        self.assertIn("не менее 11 % школ", self.browser.find_element(By.CSS_SELECTOR, ".flash-ok").text)
        # A fact the region enters rests on a document the federal operator reviews: a refused
        # fact keeps what was typed, a file sends the note to review with it.
        card = self.browser.find_element(By.XPATH, "//article[.//h2[contains(., '1.3.1')]]")
        card.find_element(By.XPATH, ".//summary[contains(., 'Внести факт')]").click()
        card.find_element(By.CSS_SELECTOR, "input[name=value]").send_keys("64")
        card.find_element(By.CSS_SELECTOR, "textarea[name=comment]").send_keys("Мониторинг ЦНППМ: 412 из 644 педагогов")
        self.submit(card.find_element(By.XPATH, ".//button[normalize-space()='Сохранить факт']"))
        self.assertIn("приложите файл или выберите документ", self.text())
        card = self.browser.find_element(By.XPATH, "//article[.//h2[contains(., '1.3.1')]]")
        self.assertEqual("64", card.find_element(By.CSS_SELECTOR, "input[name=value]").get_attribute("value"))
        fact_form = card.find_element(By.XPATH, ".//details[summary[contains(., 'Внести факт')]]")
        if fact_form.get_attribute("open") is None:
            fact_form.find_element(By.TAG_NAME, "summary").click()
        evidence = self.files / "Справка ЦНППМ.pdf"
        evidence.write_bytes(minimal_pdf("CNPPM"))
        card.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(evidence))
        self.submit(card.find_element(By.XPATH, ".//button[normalize-space()='Сохранить факт']"))
        self.assertIn("отправлен на проверку ФИОКО", self.browser.find_element(By.CSS_SELECTOR, ".flash-ok").text)
        self.assertIn("на проверке", self.browser.find_element(By.XPATH, "//article[.//h2[contains(., '1.3.1')]]").text)
        self.shot("results-indicators", full_page=True)
        # The programme schools year by year, and one school's trajectory, at desktop and phone width.
        try:
            for width in (1280, 390):
                self.browser.set_window_size(width, 900)
                self.open("/results/dynamics")
                self.assertIn("Доля с положи", self.text())
                self.open("/results/indicators?year=2027")
                if width == 390:
                    # The fact form open: its list of the region's documents holds long titles.
                    card = self.browser.find_element(By.XPATH, "//article[.//h2[contains(., '1.3.1')]]")
                    card.find_element(By.XPATH, ".//summary[contains(., 'Внести факт')]").click()
                    self.assertFitsPhone("the indicators page with a fact form open")
                self.open("/results/schools/750010001")
                self.assertIn("Индекс результатов по годам", self.text())
                if width == 1280:
                    self.shot("results-trajectory", full_page=True)
                else:
                    self.assertFitsPhone("a school's trajectory")
        finally:
            self.browser.set_window_size(1280, 1000)

    def test_2_form_without_csrf_changes_nothing(self):
        self.login("school-2")
        row = self.browser.find_element(By.XPATH, "//tr[th[contains(., 'Концепция развития')]]")
        self.submit(row.find_element(By.XPATH, ".//button[normalize-space()='Начать']"))
        item_url = self.browser.current_url
        self.upload("Концепция.pdf", "Concept")
        self.browser.execute_script(
            "document.querySelectorAll('form[action$=\"/transitions\"] input[name=_csrf]').forEach(e => e.remove())")
        self.click_button("Отправить на проверку")
        self.assertIn("Форма устарела", self.text())
        self.browser.get(item_url)
        self.assertEqual(self.state(), "черновик")

    def school_item_url(self, login, title):
        """A school's document, started from its cabinet unless it already exists (tests run in any order)."""
        self.login(login)
        row = self.browser.find_element(By.XPATH, f"//tr[th[contains(., '{title}')]]")
        links = row.find_elements(By.CSS_SELECTOR, "a[href*='/items/']")
        if links:
            return links[0].get_attribute("href")
        self.submit(row.find_element(By.XPATH, ".//button[normalize-space()='Начать']"))
        return self.browser.current_url

    def test_3_curator_of_another_school_has_no_access(self):
        item_url = self.school_item_url("school-1", "Концепция развития")
        self.assertIn("/items/", item_url)
        self.login("curator-petrov")
        self.browser.get(item_url)
        # A document someone may not see is answered like one that does not exist.
        self.assertIn("Не найдено", self.text())
        self.shot("no-access")

    def test_4_main_pages_for_the_readme(self):
        self.login("region75")
        self.open("/monitoring/overdue")
        self.assertIn("Просроченные мероприятия", self.text())
        self.open("/admin/assignments")
        self.assertIn("Кураторы школ", self.text())
        self.login("admin")
        self.open("/admin/import")
        self.assertIn("Импорт CSV", self.text())
        self.shot("admin-import")
        self.browser.delete_all_cookies()
        self.open("/login")
        self.shot("login")

    def test_6_municipal_package_and_its_roadmap_table(self):
        # The municipal coordinator opens the package from the menu and sees what FIOCO will miss.
        self.login("mun-baley")
        self.browser.find_element(By.LINK_TEXT, "Пакет муниципалитета").click()
        self.assertIn("/municipalities/", self.browser.current_url)
        self.assertIn("Нет документа «Дорожная карта».", self.text())
        row = self.browser.find_element(By.XPATH, "//tr[th[contains(., 'Дорожная карта')]]")
        self.submit(row.find_element(By.XPATH, ".//button[normalize-space()='Начать']"))
        self.assertIn("/items/", self.browser.current_url)
        # She checks how the roadmap appended to her Word order would be read.
        self.browser.find_element(By.XPATH, "//summary[contains(., 'Прочитать мероприятия из таблицы')]").click()
        table = ROOT / "Tests" / "MEDKCoreTests" / "Fixtures" / "import" / "roadmap-municipal-linked.docx"
        self.browser.find_element(By.ID, "im-table").send_keys(str(table))
        self.browser.find_element(By.ID, "im-year").send_keys("2023")
        self.click_button("Проверить, как прочитается")
        text = self.text()
        # A 2023 order read today: its dated rows are already past, and the preview says so before anything is saved.
        self.assertIn("Мероприятий: 6, требуют внимания: 6.", text)
        self.assertIn("Срок уже прошёл у 5 строк таблицы", text)
        self.assertIn("21.04.2023, 31.10.2023", text)
        flagged = self.browser.find_element(By.XPATH, "//tr[contains(@class, 'import-flagged')][contains(., 'Выезды в школы')]")
        self.assertIn("Срок не распознан", flagged.text)
        self.shot("import-preview", full_page=True)
        # She imports it as checked: a quarterly row becomes four measures, the row without a date stays, flagged.
        apply = self.browser.find_element(
            By.XPATH, "//button[starts-with(normalize-space(), 'Импортировать в дорожную карту')]")
        self.assertIn("10 мероприятий", apply.text)
        self.submit(apply)
        text = self.text()
        self.assertIn("Импортировано мероприятий: 10 (строк таблицы: 6).", text)
        self.assertIn("Мероприятий без срока: 1.", text)
        undated = self.browser.find_element(By.CSS_SELECTOR, "article.measure-undated")
        self.assertIn("Выезды в школы", undated.text)
        self.assertIn("в таблице: «По мере необходимости»", undated.text)
        # She fixes the flagged row: the form is open on it; she gives it a date.
        date = undated.find_element(By.CSS_SELECTOR, "input[name=dueDate]")
        self.browser.execute_script("arguments[0].value = '2023-12-15'", date)
        self.submit(undated.find_element(By.XPATH, ".//button[normalize-space()='Сохранить']"))
        text = self.text()
        self.assertIn("Мероприятие изменено.", text)
        self.assertNotIn("Мероприятий без срока", text)
        self.assertEqual(self.browser.find_elements(By.CSS_SELECTOR, "article.measure-undated"), [])
        self.assertIn("15.12.2023; в таблице: «По мере необходимости»", text)
        self.assertIn("(ежеквартально 4 из 4)", text)
        fixed = self.browser.find_element(By.XPATH, "//article[contains(@class, 'measure')][.//h3[contains(., 'Выезды в школы')]]")
        self.browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", fixed)
        self.shot("roadmap-imported")
        # Nothing blocks it any more; the dates already past are a finding she sees and accepts before sending.
        self.assertNotIn("Что нужно дополнить перед отправкой", text)
        self.assertIn("Замечания по критериям ФИОКО (1)", text)
        self.assertIn("Срок уже прошёл у 10 мероприятий", text)
        roadmap_url = self.browser.current_url.split("#")[0]
        self.browser.find_element(By.ID, "accept-findings").click()
        self.click_button("Отправить на проверку")
        self.assertEqual(self.state(), "на проверке")

        # The regional coordinator finds it in her queue and returns it: the table names regional measures only in words.
        self.login("region75")
        self.browser.find_element(By.LINK_TEXT, "Очередь проверки").click()
        self.assertIn("Балейский", self.text())
        self.browser.get(roadmap_url)
        self.browser.find_element(By.ID, "return-comment").send_keys(
            "Свяжите мероприятия с региональной дорожной картой, выбрав их из списка.")
        self.click_button("Вернуть на доработку")
        self.assertDecided("на доработке")

        # She evaluates the package against FIOCO's positions.
        self.open("/municipalities/75001")
        self.browser.find_element(By.LINK_TEXT, "Оценка пакета по позициям ФИОКО").click()
        text = self.text()
        self.assertIn("Пакет ещё не оценён.", text)
        self.assertIn("Со сроком: 10 из 10.", text)
        from selenium.webdriver.support.ui import Select
        for select in self.browser.find_elements(By.CSS_SELECTOR, "select[name^='score.']"):
            Select(select).select_by_value("2")
        Select(self.browser.find_element(By.ID, "s-regionalComplex")).select_by_value("1")
        self.browser.find_element(By.ID, "c-regionalComplex").send_keys("Мероприятия не связаны с региональным комплексом мер.")
        self.click_button("Сохранить оценку")
        text = self.text()
        self.assertIn("Оценка сохранена, версия 1: 13 из 14.", text)
        self.assertIn("Версия 1: 13 из 14 баллов; Соколова Анна Викторовна", text)
        self.shot("package-evaluation", full_page=True)
        self.open("/regions/75/evaluations")
        text = self.text()
        self.assertIn("Оценено пакетов: 1 из 2.", text)
        self.assertIn("13 из 14", text)

    def test_7_regional_roadmap_reviewed_by_fioco_and_linked_from_a_municipality(self):
        # The regional coordinator starts the region's own roadmap from the menu and adds a measure by hand.
        self.login("region75")
        self.browser.find_element(By.LINK_TEXT, "Региональная дорожная карта").click()
        self.assertIn("/regions/75/roadmap", self.browser.current_url)
        self.assertIn("Региональная дорожная карта в этой кампании ещё не начата.", self.text())
        self.click_button("Начать региональную дорожную карту")
        self.assertIn("/items/", self.browser.current_url)
        roadmap_url = self.browser.current_url.split("#")[0]
        form = self.browser.find_element(By.CSS_SELECTOR, "details.add-measure form")
        for field, value in [("nm-task", "Задача 1: методическое сопровождение школ"),
                             ("nm-title", "Региональный семинар для управленческих команд"),
                             ("nm-resp", "Министерство образования Забайкальского края"),
                             ("nm-result", "Проведён семинар для команд всех школ-участников"),
                             ("nm-stage", "Первый этап: 2027 год"),
                             ("nm-norm", "Распоряжение Министерства № 12-р")]:
            form.find_element(By.ID, field).send_keys(value)
        self.browser.execute_script("arguments[0].value = '2027-10-30'", form.find_element(By.ID, "nm-due"))
        self.submit(form.find_element(By.XPATH, ".//button[normalize-space()='Добавить']"))
        text = self.text()
        self.assertIn("Мероприятие добавлено.", text)
        self.assertIn("Распоряжение Министерства № 12-р", text)
        self.click_button("Отправить на проверку")
        self.assertEqual(self.state(), "на проверке")

        # FIOCO finds it in its queue and confirms it.
        self.login("fioco")
        self.browser.find_element(By.LINK_TEXT, "Очередь проверки").click()
        self.assertIn("Дорожная карта", self.text())
        self.browser.get(roadmap_url)
        self.click_button("Подтвердить")
        self.assertDecided("подтверждено")
        self.open("/monitoring?region=75")
        self.assertIn("Региональная дорожная карта (подтверждено): мероприятий 1", self.text())

        # The municipal coordinator now picks the regional measure a measure of hers implements, from a list.
        self.login("mun-baley")
        self.browser.find_element(By.LINK_TEXT, "Пакет муниципалитета").click()
        row = self.browser.find_element(By.XPATH, "//tr[th[contains(., 'Дорожная карта')]]")
        row.find_element(By.CSS_SELECTOR, "a").click()
        measure = self.browser.find_element(By.XPATH, "//article[contains(@class, 'measure')][.//h3[contains(., 'Выезды в школы')]]")
        measure.find_element(By.TAG_NAME, "summary").click()
        from selenium.webdriver.support.ui import Select
        Select(measure.find_element(By.CSS_SELECTOR, "select[name=regionalMeasureID]")).select_by_visible_text(
            "№1. Региональный семинар для управленческих команд (Задача 1: методическое сопровождение школ)")
        self.submit(measure.find_element(By.XPATH, ".//button[normalize-space()='Сохранить']"))
        text = self.text()
        self.assertIn("Мероприятие изменено.", text)
        self.assertIn("№1. Региональный семинар для управленческих команд", text)
        # She reads the regional coordinator's remark, answers it and sends the roadmap back for review.
        self.assertIn("Свяжите мероприятия с региональной дорожной картой", text)
        remark = self.browser.find_element(By.CSS_SELECTOR, "ol.remarks > li")
        remark.find_element(By.XPATH, ".//label[normalize-space()='Исправлено']").click()
        remark.find_element(By.TAG_NAME, "textarea").send_keys("Выезды в школы связаны с региональной мерой №1.")
        self.click_button("Сохранить ответы")
        self.assertIn("На все замечания есть ответ", self.text())
        self.click_button("Отправить на проверку")
        self.assertEqual(self.state(), "на проверке")
        roadmap_url = self.browser.current_url.split("#")[0]

        # The regional coordinator sees what changed since her return — the measure's field from what
        # to what, the answer — and decides at the top, above a compact table of the measures.
        self.login("region75")
        self.browser.get(roadmap_url)
        text = self.text()
        self.assertIn("Что изменилось после возврата на доработку", text)
        self.assertIn("→ «Региональный семинар для управленческих команд»", text)
        self.assertIn("Выезды в школы связаны с региональной мерой №1.", text)
        decision = self.browser.find_element(By.ID, "actions-heading").location["y"]
        table = self.browser.find_element(By.CSS_SELECTOR, "table.measures-table").location["y"]
        self.assertLess(decision, table, "the decision is above the measures")
        row = self.browser.find_element(By.XPATH, "//table[contains(@class, 'measures-table')]//tr[th[contains(., 'Выезды в школы')]]")
        self.assertIn("изменено", row.text)
        self.shot("roadmap-review", full_page=True)
        self.audit(" sent again")

    def test_8_mail_settings_and_the_regions_reminders(self):
        # A school's team gives its address and turns off the weekly digest it does not need.
        self.login("school-2")
        self.browser.find_element(By.LINK_TEXT, "Письма").click()
        address = self.browser.find_element(By.ID, "email")
        address.clear()
        address.send_keys("team-2@school.example.ru")
        digest = self.browser.find_element(By.CSS_SELECTOR, "input[name=kind][value=weekly_digest]")
        if digest.is_selected():
            digest.click()
        self.shot("mail-settings")
        self.click_button("Сохранить")
        self.assertIn("Настройки писем сохранены.", self.text())
        self.assertEqual(self.browser.find_element(By.ID, "email").get_attribute("value"), "team-2@school.example.ru")
        self.assertFalse(self.browser.find_element(By.CSS_SELECTOR, "input[name=kind][value=weekly_digest]").is_selected())
        self.assertTrue(self.browser.find_element(By.CSS_SELECTOR, "input[name=kind][value=measure_due]").is_selected())
        # The regional coordinator shortens the reminder days of her region; a mistake is explained.
        self.login("region75")
        self.browser.find_element(By.LINK_TEXT, "Напоминания").click()
        days = self.browser.find_element(By.ID, "rm-days")
        days.clear()
        days.send_keys("семь")
        self.click_button("Сохранить")
        self.assertIn("не число", self.text())
        days = self.browser.find_element(By.ID, "rm-days")
        days.clear()
        days.send_keys("7, 1")
        self.click_button("Сохранить")
        self.assertIn("Настройки напоминаний сохранены.", self.text())
        self.assertEqual(self.browser.find_element(By.ID, "rm-days").get_attribute("value"), "7, 1")

    def test_9_coordinator_lands_on_the_dashboard(self):
        self.login("region75")
        self.assertTrue(self.browser.current_url.endswith("/dashboard"), self.browser.current_url)
        text = self.text()
        for heading in ("Контрольные точки", "Просроченные мероприятия по неделям", "Муниципалитеты, дальше всех от сроков",
                        "Срок на этой неделе"):
            self.assertIn(heading, text)
        self.assertEqual(len(self.browser.find_elements(By.CSS_SELECTOR, "svg rect.seg")) > 0, True, "milestone bars are drawn")
        self.shot("dashboard", full_page=True)
        # From the chart's table to a municipality's own dashboard.
        link = self.browser.find_element(By.CSS_SELECTOR, "section[aria-labelledby=behind-heading] a")
        name = link.text
        link.click()
        self.assertIn(name, self.text())
        self.assertIn("Школы, дальше всех от сроков", self.text())

    def assertFitsPhone(self, what):
        width = self.browser.execute_script("return document.documentElement.scrollWidth")
        wide = self.browser.execute_script(
            "return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 400 && !e.closest('.table-wrap'))"
            ".slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))")
        self.assertLessEqual(width, 400, f"{what} scrolls sideways on a phone: {wide}")

    def test_5_phone_width_is_readable(self):
        # A school's team and a curator do their work on a phone: nothing they need is off-screen.
        self.login("school-1")
        self.browser.set_window_size(390, 844)
        try:
            self.audit()
            self.assertFitsPhone("the cabinet")
            self.assertIn("Что сделать сейчас", self.text())
            self.shot("school-cabinet-phone", full_page=True)
            for link in self.browser.find_elements(By.CSS_SELECTOR, "a[href^='/items/']")[:1]:
                self.open(link.get_attribute("href")[len(self.server.url):])
                self.assertFitsPhone("a document")
            self.login("curator-ivanova")
            self.audit()
            self.assertFitsPhone("the queue")
            self.shot("curator-queue-phone", full_page=True)
        finally:
            self.browser.set_window_size(1280, 1000)

    def test_98_every_role_at_desktop_and_phone_width(self):
        # Each person's own sections, as the menu offers them, at 1280 and at 390 px: checked by
        # axe-core (test_99); a school's team and a curator need nothing off-screen on a phone.
        try:
            for login in ("school-1", "curator-ivanova", "mun-baley", "region75", "fioco", "admin"):
                self.login(login)
                sections = [link.get_attribute("href")[len(self.server.url):]
                            for link in self.browser.find_elements(By.CSS_SELECTOR, "nav.nav a")]
                for width in (1280, 390):
                    self.browser.set_window_size(width, 900)
                    for path in sections[:8]:
                        self.open(path)
                        if width == 390 and login in ("school-1", "curator-ivanova"):
                            self.assertFitsPhone(f"{path} for {login}")
        finally:
            self.browser.set_window_size(1280, 1000)

    def test_99_accessibility(self):
        """axe-core finds no serious or critical violation on any page the stories reached."""
        widths = sorted({width for _, width in self.audited})
        print(f"\naxe-core: {len(self.audited)} pages checked at widths {widths} px; "
              f"serious or critical violations: {len(self.violations)}", file=sys.stderr)
        self.assertGreater(len(self.audited), 20, "the stories reach the main pages of every role")
        self.assertEqual(self.violations, [], "\n".join(self.violations))


if __name__ == "__main__":
    if not MEDK.exists():
        sys.exit(f"{MEDK} not found: build first (swift build)")
    unittest.main(verbosity=2)
