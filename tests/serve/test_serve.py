"""`listen serve` over real HTTP: a real server process on 127.0.0.1 (ephemeral port), real
uploads of real recordings, the real store on disk. No network beyond 127.0.0.1."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import REPO, run_listen, tree_state

from listen.store import Store
from listen.workspace import Workspace
from tests.serve.server import Browser, Server, chunked_upload, wait_for

SPEECH = REPO / "tests" / "fixtures" / "speech"
PASSPHRASE = "correct horse battery"
TEAM = '[[members]]\nname = "Ana"\n\n[[members]]\nname = "Marta <b>"\n'
VIEW = {"needed": "a refund", "hard": "the <script>alert(1)</script> portal", "workaround": "phoned billing",
        "helped": "partly", "note": "\x1b[31mred"}  # fmt: skip


def make_workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    root.mkdir()
    (root / "listen.toml").write_text(TEAM, encoding="utf-8")
    return root


def set_passphrase(root: Path, passphrase: str) -> subprocess.CompletedProcess[str]:
    """`listen serve --set-passphrase` with the passphrase on stdin (not a terminal)."""
    return subprocess.run(
        [sys.executable, "-m", "listen", "serve", "--workspace", str(root), "--set-passphrase"],
        input=passphrase + "\n", capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_workspace(tmp_path)


@pytest.fixture
def server(root: Path) -> Iterator[Server]:
    running = Server(root, "--no-transcribe", "--no-app")
    yield running
    running.stop()


@pytest.fixture
def locked(root: Path) -> Iterator[Server]:
    result = set_passphrase(root, PASSPHRASE)
    assert result.returncode == 0, result.stderr
    running = Server(root, "--no-transcribe", "--no-app")
    yield running
    running.stop()


def test_upload_of_a_real_recording_is_queued_in_the_words_of_listen_submit(
    server: Server, root: Path, tmp_path: Path
) -> None:
    browser = Browser(server.url)
    page = browser.get("/")
    assert page.status == 200
    assert "Ana" in page.body and "Marta &lt;b&gt;" in page.body  # the team, escaped
    reply = browser.upload({"csrf": page.csrf(), "by": "Ana", "channel": "phone", **VIEW}, "jfk.flac",
                           (SPEECH / "jfk.flac").read_bytes())  # fmt: skip
    assert reply.status == 200, reply.body
    clips = Store(Workspace(root)).clips()
    assert len(clips) == 1
    clip = clips[0]
    assert clip.status == "queued" and clip.submitted_by == "Ana" and clip.channel == "phone"
    assert clip.rep_view.needed == "a refund" and clip.rep_view.helped == "partly"
    assert clip.rep_view.hard == VIEW["hard"]
    # the same line `listen submit` prints for the same file, with the file's name
    other = tmp_path / "other"
    cli = run_listen("submit", "--workspace", other, "--by", "Ana", SPEECH / "jfk.flac")
    assert cli.returncode == 0, cli.stderr
    assert reply.message == cli.stdout.strip().splitlines()[-1].replace(str(SPEECH / "jfk.flac"), "jfk.flac")
    assert f"clip {clip.id} (" in reply.message and "queued for transcription" in reply.message
    # the rep's recent submissions, with the status; customer text never reaches the page raw
    assert f'id="clip-{clip.id}"' in reply.body and ">queued<" in reply.body
    assert "<script>alert" not in reply.body and "\x1b" not in reply.body
    # the upload's temp file is gone; the original is kept in the clip's folder
    assert list((root / ".cache" / "uploads").iterdir()) == []
    assert (root / clip.media).read_bytes() == (SPEECH / "jfk.flac").read_bytes()


def test_a_text_file_named_mp3_is_refused_in_one_line_and_changes_nothing(server: Server, root: Path) -> None:
    browser = Browser(server.url)
    page = browser.get("/")
    before = tree_state(root, folders=True)
    reply = browser.upload({"csrf": page.csrf(), "by": "Ana", **VIEW}, "call.mp3", b"not audio at all\n" * 50)
    assert reply.status == 400
    assert reply.message is not None and reply.message.startswith("call.mp3: ")
    assert "\n" not in reply.message.strip()
    assert tree_state(root, folders=True) == before


def test_a_form_without_its_csrf_token_is_refused_before_the_file_is_stored(
    server: Server, root: Path
) -> None:
    browser = Browser(server.url)
    browser.get("/")  # a session, but the form is forged elsewhere
    before = tree_state(root, folders=True)
    content = (SPEECH / "jfk.flac").read_bytes()
    for fields in ({"by": "Ana"}, {"csrf": "forged", "by": "Ana"}):
        reply = browser.upload(fields, "jfk.flac", content)
        assert reply.status == 403
    assert tree_state(root, folders=True) == before


def test_a_post_from_another_site_is_refused(server: Server, root: Path) -> None:
    browser = Browser(server.url)
    page = browser.get("/")
    reply = browser.upload({"csrf": page.csrf(), "by": "Ana"}, "chat.txt", b"hello there\n",
                           headers={"Origin": "http://evil.example"})  # fmt: skip
    assert reply.status == 403
    assert Store(Workspace(root)).clips() == []


def test_an_upload_over_the_byte_limit_is_cut_off_and_changes_nothing(root: Path) -> None:
    running = Server(root, "--no-transcribe", "--no-app", "--max-upload-mb", "1")
    try:
        browser = Browser(running.url)
        page = browser.get("/")
        before = tree_state(root, folders=True)
        # declared too large: refused before a byte is read
        reply = browser.upload({"csrf": page.csrf(), "by": "Ana"}, "big.wav", b"\0" * 1_200_000)
        assert reply.status == 413 and "too large" in (reply.message or "")
        # not declared (chunked): cut off once the limit is passed
        cookie = "; ".join(f"{c.name}={c.value}" for c in browser.jar)
        status = chunked_upload(
            running.port, cookie, {"csrf": page.csrf(), "by": "Ana"}, "big.wav", 3_000_000
        )
        assert status in (413, "cut")
        assert tree_state(root, folders=True) == before
        assert Store(Workspace(root)).clips() == []
    finally:
        running.stop()


def test_the_passphrase_is_stored_as_a_salted_hash_owner_only(locked: Server, root: Path) -> None:
    stored = root / "serve-passphrase"
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    text = stored.read_text()
    assert text.startswith("scrypt$") and PASSPHRASE not in text


def test_without_the_passphrase_every_route_but_sign_in_refuses(locked: Server, root: Path) -> None:
    browser = Browser(locked.url)
    for path in ("/", "/app/", "/?by=Ana", "/app/ws", "/app/static/js/textual.js", "/no-such-page"):
        reply = browser.get(path, follow=False)
        assert reply.status == 303 and reply.headers["Location"] == "/login"
    for method in ("HEAD", "PUT", "DELETE", "OPTIONS"):
        request = urllib.request.Request(locked.url + "/", method=method)
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=30)
        assert refused.value.code == 403
    assert browser.get("/login").status == 200
    page = browser.get("/login")
    reply = browser.upload({"csrf": page.csrf(), "by": "Ana"}, "chat.txt", b"hello\n")
    assert reply.status == 403
    assert browser.post_form("/logout", {"csrf": page.csrf()}, follow=False).status == 403
    assert Store(Workspace(root)).clips() == []
    # signed in: the upload page, and a cookie that scripts and other sites cannot use
    signed = browser.login(PASSPHRASE)
    assert signed.status == 200 and 'action="/upload"' in signed.body


def test_the_session_cookie_is_http_only_and_same_site_strict(locked: Server) -> None:
    browser = Browser(locked.url)
    reply = browser.get("/login")
    cookie = reply.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    assert "default-src 'none'" in reply.headers["Content-Security-Policy"]


def test_wrong_passphrases_are_rate_limited(locked: Server) -> None:
    browser = Browser(locked.url)
    statuses = [browser.login("wrong passphrase").status for _ in range(5)]
    assert statuses == [401] * 5
    limited = browser.login(PASSPHRASE)  # even the right one waits now
    assert limited.status == 429 and "too many" in (limited.message or "")


def test_a_network_address_without_a_passphrase_refuses_to_start(root: Path) -> None:
    before = tree_state(root, folders=True)
    result = run_listen("serve", "--workspace", root, "--host", "0.0.0.0", "--port", "0", timeout=30)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "passphrase" in lines[0] and "--set-passphrase" in lines[0]
    assert tree_state(root, folders=True) == before


@pytest.mark.slow
def test_the_worker_transcribes_an_uploaded_clip(root: Path) -> None:
    running = Server(root, "--no-app")
    try:
        browser = Browser(running.url)
        page = browser.get("/")
        reply = browser.upload(
            {"csrf": page.csrf(), "by": "Ana"}, "jfk.flac", (SPEECH / "jfk.flac").read_bytes()
        )
        assert reply.status == 200 and "queued for transcription" in (reply.message or "")
        store = Store(Workspace(root))
        done = wait_for(lambda: [c for c in store.clips() if c.status in ("transcribed", "failed")], 180)
        assert done and done[0].status == "transcribed", done
        assert "transcribed" in browser.get("/").body
        transcript = store.transcript(done[0].id)
        assert (
            transcript is not None and "country" in transcript.text.lower()
        )  # "ask not what your country..."
    finally:
        running.stop()


def test_tls_with_a_given_certificate_and_key(root: Path, tmp_path: Path) -> None:
    import ssl
    import urllib.request

    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    made = subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    if made.returncode != 0:
        pytest.skip(f"openssl cannot make a test certificate here: {made.stderr.strip()}")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, "-m", "listen", "serve", "--workspace", str(root), "--port", "0", "--no-transcribe",
         "--no-app", "--tls-cert", str(cert), "--tls-key", str(key)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        line = process.stdout.readline()  # type: ignore[union-attr]
        assert line.startswith("listen serve: https://127.0.0.1:"), line
        url = line.split()[2].rstrip("/")
        context = ssl.create_default_context(cafile=str(cert))
        with urllib.request.urlopen(url + "/", context=context, timeout=30) as response:
            assert response.status == 200
            cookie = response.headers["Set-Cookie"]
        assert "Secure" in cookie and "HttpOnly" in cookie
    finally:
        process.terminate()
        process.wait(15)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def test_hostile_names_and_text_never_reach_the_page_as_markup(root: Path) -> None:
    (root / "listen.toml").write_text("")  # no team list: the name is typed
    running = Server(root, "--no-transcribe", "--no-app")
    try:
        browser = Browser(running.url)
        page = browser.get("/")
        name = "<img src=x onerror=alert(1)>\x1b[2J"
        fields = {"csrf": page.csrf(), "by": name, "note": "</textarea><script>alert(2)</script>"}
        hostile_file = '"><svg onload=alert(3)>.txt'
        refused = browser.upload(fields, hostile_file, b"Customer: \x1b]0;title\x07 hello\n")
        assert refused.status == 400 and refused.message and refused.message.startswith(hostile_file)
        reply = browser.upload(fields, hostile_file, b"Customer: <b>bold</b> hello\n")
        assert reply.status == 200, reply.message
        shown = browser.get("/").body
        for body in (refused.body, reply.body, shown):
            assert "<img" not in body and "<svg" not in body and "<script>alert" not in body
            assert "\x1b" not in body and "\x07" not in body
        assert "&lt;img src=x onerror=alert(1)&gt;" in reply.body  # the rep's own list, escaped
        assert len(Store(Workspace(root)).clips()) == 1
    finally:
        running.stop()


def test_a_short_passphrase_is_refused_and_nothing_is_stored(root: Path) -> None:
    before = tree_state(root, folders=True)
    result = set_passphrase(root, "short")
    assert result.returncode == 2 and "at least 8 characters" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert tree_state(root, folders=True) == before


def test_a_drop_folder_needs_a_rep_from_the_team(root: Path, tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    alone = run_listen("serve", "--workspace", root, "--watch", drop, timeout=30)
    assert alone.returncode == 2 and "--by" in alone.stderr
    stranger = run_listen("serve", "--workspace", root, "--watch", drop, "--by", "Zed", timeout=30)
    assert stranger.returncode == 2 and "not in the team" in stranger.stderr
    assert list(drop.iterdir()) == []


def test_guesses_sent_all_at_once_are_all_counted(locked: Server) -> None:
    """Twelve wrong passphrases in parallel from one address: the limit holds (each guess is
    counted before its check, so none slips through while the others are being checked)."""
    from concurrent.futures import ThreadPoolExecutor

    browser = Browser(locked.url)
    guess = {"csrf": browser.get("/login").csrf(), "passphrase": "a wrong guess"}
    with ThreadPoolExecutor(12) as pool:
        statuses = list(pool.map(lambda _: browser.post_form("/login", guess).status, range(12)))
    assert statuses.count(401) <= 5 and statuses.count(429) >= 7, statuses
    assert browser.login(PASSPHRASE).status == 429


def test_a_new_passphrase_applies_at_once_and_signs_everyone_out(locked: Server, root: Path) -> None:
    browser = Browser(locked.url)
    assert browser.login(PASSPHRASE).status == 200
    assert browser.get("/", follow=False).status == 200
    assert set_passphrase(root, "a brand new passphrase").returncode == 0  # the server keeps running
    assert browser.get("/", follow=False).headers.get("Location") == "/login"  # signed out
    assert Browser(locked.url).login(PASSPHRASE).status == 401  # the old one no longer opens it
    again = Browser(locked.url)
    assert again.login("a brand new passphrase").status == 200
    assert 'action="/upload"' in again.get("/").body


def test_a_passphrase_file_that_vanishes_keeps_the_server_locked(locked: Server, root: Path) -> None:
    (root / "serve-passphrase").unlink()
    browser = Browser(locked.url)
    assert browser.get("/", follow=False).headers.get("Location") == "/login"
    assert browser.login(PASSPHRASE).status == 200  # the last passphrase still holds


def test_settings_changed_while_serving_are_used(root: Path) -> None:
    """listen.toml is read again when it changes: a rep added to the team is on the page, and a
    model chosen after the start is the one the worker loads (a missing one: its reason shown)."""
    running = Server(root, "--no-app")  # the worker on, with the settings of the start
    try:
        browser = Browser(running.url)
        assert "Quentin" not in browser.get("/").body
        (root / "listen.toml").write_text(
            TEAM
            + '\n[[members]]\nname = "Quentin"\n\n[transcription]\nmodel = "/nonexistent/quokka-model"\n',
            encoding="utf-8",
        )
        page = browser.get("/")
        assert ">Quentin</option>" in page.body
        reply = browser.upload(
            {"csrf": page.csrf(), "by": "Quentin"}, "jfk.flac", (SPEECH / "jfk.flac").read_bytes()
        )
        assert reply.status == 200 and "queued for transcription" in (reply.message or ""), reply.message
        shown = wait_for(lambda: "quokka-model: no such model folder" in browser.get("/").body, 60)
        assert shown, browser.get("/").body[-1500:]
        assert [clip.status for clip in Store(Workspace(root)).clips()] == ["queued"]  # left for later
        (root / "listen.toml").write_text("[[members]\nname = 'Ana'\n", encoding="utf-8")  # broken
        broken = browser.get("/")
        assert broken.status == 500 and "listen.toml: not valid TOML" in (broken.message or ""), broken.body
        (root / "listen.toml").write_text(TEAM, encoding="utf-8")
        assert browser.get("/").status == 200
    finally:
        running.stop()


def test_unknown_pages_and_oversized_forms_get_a_page_that_says_so(server: Server) -> None:
    browser = Browser(server.url)
    missing = browser.get("/no-such-page")
    assert missing.status == 404 and missing.message == "404: Not Found"
    assert missing.headers["Content-Type"].startswith("text/html")
    page = browser.get("/")
    huge = browser.post_form("/logout", {"csrf": page.csrf(), "padding": "x" * 400_000})
    assert huge.status == 413 and (huge.message or "").startswith("413")


def test_upload_leftovers_of_a_killed_server_are_removed_at_start(root: Path) -> None:
    import os
    import time as clock

    uploads = root / ".cache" / "uploads"
    old, recent = uploads / "0123456789abcdef", uploads / "fedcba9876543210"
    for folder in (old, recent):
        folder.mkdir(parents=True)
        (folder / "call.mp3").write_bytes(b"\0" * 1000)
    week_ago = clock.time() - 7 * 86400
    for path in (old / "call.mp3", old):
        os.utime(path, (week_ago, week_ago))
    running = Server(root, "--no-transcribe", "--no-app")
    running.stop()
    assert not old.exists() and (recent / "call.mp3").exists()  # another server's upload in progress


def test_a_malformed_upload_form_is_refused_with_a_page(server: Server, root: Path) -> None:
    browser = Browser(server.url)
    page = browser.get("/")
    before = tree_state(root, folders=True)
    reply = browser.upload({"csrf": page.csrf(), "by": "Ana"}, "call\x00.wav", b"RIFF" + b"\0" * 100)
    assert reply.status == 400 and "nothing was stored" in (reply.message or ""), reply.body[:300]
    assert tree_state(root, folders=True) == before


def test_a_flood_of_sessions_never_pushes_out_someone_signed_in() -> None:
    from listen.serve.access import Sessions

    sessions = Sessions(limit=3)
    signed = sessions.new(signed_in=True, under="scrypt$hash")
    strangers = [sessions.new(signed_in=False, under="scrypt$hash") for _ in range(50)]
    assert sessions.get(signed.id) is signed
    assert sessions.get(strangers[-1].id) is not None and sessions.get(strangers[0].id) is None


def test_a_recording_longer_than_max_clip_minutes_is_refused_and_changes_nothing(root: Path) -> None:
    (root / "listen.toml").write_text(TEAM + "\n[audio]\nmax_clip_minutes = 0.1\n", encoding="utf-8")
    running = Server(root, "--no-transcribe", "--no-app")
    try:
        browser = Browser(running.url)
        page = browser.get("/")
        assert "0.1 minutes" in page.body  # the limit is on the form
        before = tree_state(root, folders=True)
        reply = browser.upload(
            {"csrf": page.csrf(), "by": "Ana"}, "jfk.flac", (SPEECH / "jfk.flac").read_bytes()
        )
        assert reply.status == 400 and (reply.message or "").startswith("jfk.flac: "), reply.message
        assert "too long" in (reply.message or "") and "0:06" in (reply.message or "")
        assert tree_state(root, folders=True) == before
    finally:
        running.stop()
