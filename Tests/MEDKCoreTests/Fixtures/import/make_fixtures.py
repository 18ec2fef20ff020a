#!/usr/bin/env python3
"""Builds the messy roadmap tables the import tests read, as people's offices produce them.

- roadmap-school-cp1251.csv: Russian Excel's «CSV (разделители — точки с запятой)» in Windows-1251:
  a title above the header, section rows in column A, a quoted cell broken over two lines, a row
  continued after a page break, trailing «;;;», deadlines in words.
- roadmap-municipal.docx and roadmap-regional.xlsx: converted by LibreOffice from the HTML files
  here (merged cells across and down, a header not on the first row, a table before the roadmap,
  a header repeated on a new page, a row of column numbers, empty trailing columns, real dates).
- roadmap-municipal-linked.docx: a municipal roadmap as complete as FIOCO asks (indicator, planned
  value and the regional measure each row implements), with one row whose deadline is not a date.

Run from this folder: python3 make_fixtures.py (needs `libreoffice` for the DOCX and XLSX).
"""
import os
import shutil
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

CSV_ROWS = [
    ["Дорожная карта МБОУ «СОШ № 3» на 2023 год", "", "", "", "", "", "", ""],
    ["", "", "", "", "", "", "", ""],
    ["№", "Мероприятия", "Сроки реализации", "Ответственные", "Показатель реализации", "Результат", "", ""],
    ["Организационно-управленческая деятельность", "", "", "", "", "", "", ""],
    ["1", "Назначение ответственного за реализацию программы", "Январь 2023", "Директор", "Приказ", "Назначен ответственный", "", ""],
    ["2", "Анализ рискового профиля школы\nпо итогам анкетирования", "до 30 апреля", "Заместитель директора по УВР",
     "Аналитическая справка", "Определены направления работы", "", ""],
    ["", "и обсуждение на педагогическом совете", "", "педагогический совет", "", "", "", ""],
    ["Работа с педагогами", "", "", "", "", "", "", ""],
    ["3", "Посещение уроков молодых педагогов", "Ежемесячно", "Наставники", "Протоколы посещения", "Оказана помощь", "", ""],
    ["4", "Участие в вебинарах ФИОКО", "20–21 апреля 2023г., октябрь 2023г.", "Учителя", "Сертификаты", "", "", ""],
    ["5", "Обмен опытом с кураторами", "По мере необходимости", "Куратор", "", "", "", ""],
    ["6", "Итоговый педагогический совет", "2022–2023 учебный год", "Директор", "Протокол", "Подведены итоги", "", ""],
]


def csv_field(text):
    if any(c in text for c in ';"\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def write_csv():
    text = "\r\n".join(";".join(csv_field(cell) for cell in row) for row in CSV_ROWS) + "\r\n"
    with open(os.path.join(HERE, "roadmap-school-cp1251.csv"), "wb") as out:
        out.write(text.encode("cp1251"))


def convert(source, target_extension, filter_name, input_filter=None):
    work = tempfile.mkdtemp()
    try:
        command = ["libreoffice", "--headless"] + ([f"--infilter={input_filter}"] if input_filter else [])
        subprocess.run(command + ["--convert-to", f"{target_extension}:{filter_name}", "--outdir", work,
                                  os.path.join(HERE, source)], check=True, capture_output=True)
        produced = os.path.join(work, os.path.splitext(source)[0] + "." + target_extension)
        shutil.copy(produced, os.path.join(HERE, os.path.splitext(source)[0] + "." + target_extension))
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    write_csv()
    if shutil.which("libreoffice"):
        convert("roadmap-municipal.html", "docx", "MS Word 2007 XML")
        convert("roadmap-municipal-linked.html", "docx", "MS Word 2007 XML")
        # An HTML table opened as a spreadsheet (Calc's own HTML import), so merges and dates become cells.
        convert("roadmap-regional.html", "xlsx", "Calc MS Excel 2007 XML", input_filter="HTML (StarCalc)")
    else:
        print("libreoffice is not installed: only the CSV was written")
