"""The public pages: open to all, Dutch or English, cacheable, with checksummed open data."""

import hashlib
import json
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from enforcement.public import pagecache, services

PAGES = ["/public/", "/public/report", "/public/decisions", "/public/methodology", "/public/data/"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_are_dutch_with_an_english_version(client, path):
    dutch = client.get(path)
    assert dutch.status_code == 200
    html = dutch.get_data(as_text=True)
    english_path = path.replace("/public/", "/public/en/", 1)
    assert '<html lang="nl">' in html and f'href="{english_path}"' in html
    english = client.get(english_path).get_data(as_text=True)
    assert '<html lang="en">' in english and f'href="{path}"' in english
    assert "Verwijderrapportage" in html and "Takedown report" in english


@pytest.mark.parametrize(
    "path", [*PAGES, "/public/data/decisions.csv", "/public/data/decisions.atom"]
)
def test_public_answers_are_cacheable_and_set_no_cookie(client, path):
    response = client.get(path)
    assert response.headers["Cache-Control"].startswith("public, max-age=")
    assert "Set-Cookie" not in response.headers


def test_staff_pages_stay_out_of_caches(client, signed_in):
    signed_in("officer")
    assert client.get("/cases/").headers["Cache-Control"] == "no-store"
    # Signed in, a public page is no-store too: the same URL may be cached for the public only.
    assert client.get("/public/decisions").headers["Cache-Control"] == "no-store"


def test_report_shows_the_named_hoster_with_figures_response_and_definitions(
    client, session, named, staff
):
    services.record_naming_response(session, named, text="We hired more abuse staff in June.",
                                    received_on=date(2026, 6, 1), actor=staff["legal"])  # fmt: skip
    session.commit()
    html = client.get("/public/report").get_data(as_text=True)
    assert "Slowhost" in html and "Openbaar genoemd op 25 mei 2026." in html
    assert "Periode van de naming" in html and "Latere periode" in html
    assert "We hired more abuse staff in June." in html and "<svg" in html
    assert "meer dan de periode" in html  # in the definitions
    english = client.get("/public/en/report").get_data(as_text=True)
    assert "Named on 25 May 2026." in english and "Period of the naming" in english


def test_decisions_page_states_the_published_fields(client, fine):
    html = client.get("/public/decisions").get_data(as_text=True)
    assert "Bestuurlijke boete: Slowhost" in html and "€&nbsp;1.000,00" in html
    assert "25 mei 2026" in html and "Artikel 6, derde lid" in html
    english = client.get("/public/en/decisions").get_data(as_text=True)
    assert "Administrative fine: Slowhost" in english and "€&nbsp;1,000.00" in english
    assert "3 items of removal orders were not made inaccessible within their term" in english


def test_pages_and_files_answer_304_when_unchanged(client, fine):
    for path in ("/public/decisions", "/public/data/decisions.json"):
        first = client.get(path)
        again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and again.data == b""
    data = client.get("/public/data/decisions.csv")
    since = data.headers["Last-Modified"]
    assert client.get("/public/data/decisions.csv",
                      headers={"If-Modified-Since": since}).status_code == 304  # fmt: skip


@pytest.mark.parametrize("name", ["decisions.csv", "decisions.json", "takedown-report.csv",
                                  "takedown-report.json"])  # fmt: skip
def test_each_file_has_its_sha256_beside_it(client, fine, name):
    content = client.get(f"/public/data/{name}").data
    line = client.get(f"/public/data/{name}.sha256").get_data(as_text=True)
    assert line == f"{hashlib.sha256(content).hexdigest()}  {name}\n"


def test_open_data_json_and_csv_hold_the_same_decisions(client, fine):
    rows = json.loads(client.get("/public/data/decisions.json").data)
    assert [r["id"] for r in rows] == [fine.id]
    assert rows[0]["status"] == "published" and rows[0]["amount"] == "1000"
    csv_text = client.get("/public/data/decisions.csv").get_data(as_text=True)
    assert csv_text.splitlines()[0].startswith("id,hoster,hoster_legal_name,kind,decision_date")
    assert f"{fine.id},Slowhost," in csv_text


def test_the_feed_is_atom_with_one_entry_per_publication(client, fine):
    response = client.get("/public/en/data/decisions.atom")
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)  # noqa: S314  (our own output)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = feed.findall("a:entry", ns)
    assert len(entries) == 1
    assert entries[0].find("a:title", ns).text == "Administrative fine: Slowhost"


@pytest.mark.parametrize("app_config", [{"PUBLIC_CACHE_SECONDS": 60}])
def test_a_kept_page_is_replaced_as_soon_as_a_case_changes(client, session, fine, staff,
                                                            monkeypatch):  # fmt: skip
    monkeypatch.setattr(pagecache, "VERSION_SECONDS", 0)  # asked on every request
    assert "Slowhost" in client.get("/public/decisions").get_data(as_text=True)
    services.record_relief(session, fine, requested_at=fine.made_known_at, actor=staff["legal"])
    session.commit()
    assert "Slowhost" not in client.get("/public/decisions").get_data(as_text=True)
    assert "Slowhost" not in client.get("/public/data/decisions.csv").get_data(as_text=True)
