"""The page end to end in Debian's headless Chromium (Selenium + chromium-driver),
against a running `aistack dev` stack: no console errors, only local assets,
live values, and a service flipping the aggregate to degraded when it is stopped.
Screenshots are kept under the test's tmp dir (their paths are printed)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest
from dashboard_helpers import free_port, start_llama_server, stop, write_tiny_llama

from conftest import REPO_ROOT

STACK_UP_TIMEOUT_S = 180
SERVICES = ("audit", "coordinator", "embeddings", "knowledge", "redis")


def _host_dir(root: Path, coordinator: int, dashboard: int, llama: int) -> Path:
    """The laptop host with ephemeral ports (settings merge over the rendered configs),
    llama.cpp run by the test, no monitoring (nothing here runs Prometheus)."""
    host = root / "host"
    host.mkdir()
    (host / "facts.nix").write_text((REPO_ROOT / "hosts" / "laptop" / "facts.nix").read_text())
    (host / "aistack.nix").write_text(
        f"""{{
  services.aistack = {{
    enable = true;
    facts = import ./facts.nix;
    llamaCpp.enable = false;
    monitoring.enable = false;
    webui.enable = false;
    services.coordinator.settings.listen = {{ kind = "tcp"; host = "127.0.0.1"; port = {coordinator}; }};
    services.coordinator.settings.upstreams.llama_cpp = {{ kind = "tcp"; host = "127.0.0.1"; port = {llama}; }};
    services.dashboard.settings.listen = {{ kind = "tcp"; host = "127.0.0.1"; port = {dashboard}; }};
    services.dashboard.settings.probe_interval_s = 2;
  }};
}}
"""
    )
    return host


@pytest.fixture(scope="module")
def dev_stack(tmp_path_factory: pytest.TempPathFactory, nixpkgs_lib: Path) -> Iterator[dict]:
    root = tmp_path_factory.mktemp("devstack")
    llama_port = free_port()
    llama = start_llama_server(write_tiny_llama(root / "tiny.gguf"), llama_port, root / "llama.log")
    host = _host_dir(root, free_port(), free_port(), llama_port)
    dev = subprocess.Popen(
        ["aistack", "dev", str(host), "--out", str(root / "out"), "--source", str(REPO_ROOT)],
        stdout=subprocess.PIPE,
        stderr=(root / "dev.log").open("w"),
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(
        target=lambda: lines.extend(iter(dev.stdout.readline, "")), daemon=True
    )
    reader.start()
    try:
        deadline = time.monotonic() + 120
        url = None
        while url is None:
            assert dev.poll() is None, (root / "dev.log").read_text()[-3000:]
            assert time.monotonic() < deadline, f"no dashboard URL printed: {lines}"
            url = next(
                (ln.split(" ", 1)[1].strip() for ln in list(lines) if ln.startswith("Dashboard: ")),
                None,
            )
            time.sleep(0.1)
        deadline = time.monotonic() + STACK_UP_TIMEOUT_S
        while True:
            try:
                report = httpx.get(url + "api/health/probe", timeout=15).json()
                if report["overall_status"] == "healthy":
                    break
            except httpx.TransportError:
                report = None
            assert dev.poll() is None, (root / "dev.log").read_text()[-3000:]
            assert time.monotonic() < deadline, f"stack not healthy: {report}"
            time.sleep(1)
        yield {"url": url, "dev": dev, "root": root, "stdout": lines}
    finally:
        stop(dev)
        stop(llama)


def _knowledge_traffic(out: Path) -> dict:
    """Ingest a document and search for it twice over the knowledge base's socket;
    returns its /status afterwards."""
    import json

    plan = json.loads((out / "plan.json").read_text())
    sock = plan["services"]["knowledge"]["config"]["listen"]["path"]
    import secrets

    with httpx.Client(
        base_url="http://localhost",
        transport=httpx.HTTPTransport(uds=sock),
        # The caller's key (any key: it names the caller for the rate limits).
        headers={"Authorization": "Bearer ak-" + secrets.token_hex(16)},
        timeout=60,
    ) as kb:
        doc = {
            "text": "# zram\n\nzram swap keeps compressed pages in RAM on small boards.",
            "source": "test://zram",
            "title": "zram",
        }
        assert kb.post("/documents", json={"documents": [doc]}).status_code == 200
        for _ in range(2):
            assert (
                kb.post("/search", json={"query": "zram swap on small boards"}).status_code == 200
            )
        return kb.get("/status").json()


def _service_pid(dev: subprocess.Popen, service: str) -> int:
    for child in psutil.Process(dev.pid).children(recursive=True):
        cmdline = child.cmdline()
        if "serve" in cmdline and service in cmdline:
            return child.pid
    raise AssertionError(f"no {service} process under aistack dev")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.fail(
            "selenium missing: pip install -e 'python[test]' (.ci/setup does)", pytrace=False
        )
    chromium = shutil.which("chromium")
    driver_bin = shutil.which("chromedriver")
    if chromium is None or driver_bin is None:
        pytest.fail(
            "chromium missing: apt-get install -y chromium chromium-driver (.ci/setup does)",
            pytrace=False,
        )
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1500"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_bin), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def _wait(driver, predicate, timeout: float, what: str):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate(driver)
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _row_status(driver, name: str) -> str | None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    rows = driver.find_elements(By.CSS_SELECTOR, f'tr[data-entry="{name}"]')
    return rows[0].get_attribute("data-entry-status") if rows else None


def _screenshot(driver, tmp_path: Path, name: str) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path / name
    driver.save_screenshot(str(path))
    assert path.stat().st_size > 10_000
    print(f"screenshot: {path}")
    keep = os.environ.get("AISTACK_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(keep) / name)
    return path


def test_aistack_dev_prints_the_dashboard_url(dev_stack: dict) -> None:
    url = dev_stack["url"]
    assert url.startswith("http://127.0.0.1:") and url.endswith("/")


def test_page_shows_the_live_stack_and_flips_when_a_service_stops(
    dev_stack: dict, browser, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    driver.get(dev_stack["url"])
    _wait(driver, lambda d: d.find_element(By.ID, "overall").text == "healthy", 30, "healthy")
    for name in SERVICES:
        assert _row_status(driver, name) == "up", name
    # Live values: each probed row carries its measured latency, and the cycle time moves.
    latency = driver.find_element(
        By.CSS_SELECTOR, 'tr[data-entry="coordinator"] td:nth-child(4)'
    ).text
    assert latency.endswith(" ms"), latency
    mode = driver.find_element(By.CSS_SELECTOR, 'tr[data-entry="redis"] td:nth-child(3)').text
    assert mode == "protocol"
    checked = driver.find_element(By.ID, "checked").text
    _wait(driver, lambda d: d.find_element(By.ID, "checked").text != checked, 15, "a new cycle")
    # What the services do not expose yet says so, it is not drawn as zero.
    assert driver.find_element(By.ID, "compression").text == "no data"
    # Traffic through the real knowledge base and embeddings service shows up.
    status = _knowledge_traffic(dev_stack["root"] / "out")
    _wait(
        driver,
        lambda d: (
            d.find_element(By.ID, "cache-summary").text.split(" ")[0].replace(".", "").isdigit()
        ),
        20,
        "an embedding cache hit rate",
    )
    assert "misses" in driver.find_element(By.ID, "cache-summary").text
    _wait(
        driver,
        lambda d: d.find_element(By.ID, "quarantined").text == str(status["quarantined"]),
        20,
        "the knowledge base's quarantine count",
    )
    # Every resource the page loaded came from the dashboard itself.
    resources = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert resources and all(r.startswith(dev_stack["url"].rstrip("/")) for r in resources), (
        resources
    )
    _screenshot(driver, tmp_path, "dashboard-healthy.png")

    knowledge = _service_pid(dev_stack["dev"], "knowledge")
    os.kill(knowledge, signal.SIGSTOP)
    try:
        _wait(driver, lambda d: _row_status(d, "knowledge") == "down", 30, "knowledge down")
        _wait(driver, lambda d: d.find_element(By.ID, "overall").text == "degraded", 10, "degraded")
        journal = driver.find_element(
            By.CSS_SELECTOR, 'tr[data-entry="knowledge"] td:nth-child(6)'
        ).text
        assert journal == "journalctl -u aistack-knowledge -n 20"
        _screenshot(driver, tmp_path, "dashboard-degraded.png")
    finally:
        os.kill(knowledge, signal.SIGCONT)
    _wait(driver, lambda d: d.find_element(By.ID, "overall").text == "healthy", 30, "healthy again")

    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == [], errors
