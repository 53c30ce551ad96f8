"""Running a suite against the stack: the coordinator's OpenAI endpoint and
``/query``, and the knowledge base's ``/documents`` and ``/search``."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from aistack.evalsuite.checks import CaseOutput, CheckResult, evaluate
from aistack.evalsuite.suite import Case, Suite, render_prompt


@dataclass(frozen=True)
class Target:
    """Where the suite runs: the coordinator (TCP) and, for RAG, the knowledge base."""

    coordinator_url: str
    api_key: str | None = None
    # "http://host:port" or a Unix socket path.
    knowledge: str | None = None
    timeout_s: float = 120.0


@dataclass
class CaseResult:
    """One case's outcome."""

    id: str
    kind: str
    passed: bool
    latency_ms: float
    checks: list[CheckResult] = field(default_factory=list)
    backend: str | None = None
    model: str | None = None
    error: str | None = None
    # Retrieval cases: 1-based rank of the expected source, None when absent.
    rank: int | None = None


@dataclass
class RunResult:
    """A whole run: per-case results and the figures the history keeps."""

    started_at: float
    finished_at: float
    cases: list[CaseResult]

    @property
    def passed(self) -> int:
        return sum(c.passed for c in self.cases)

    @property
    def total(self) -> int:
        return len(self.cases)

    @property
    def score_pct(self) -> float:
        return 100.0 * self.passed / self.total if self.total else 0.0

    @property
    def model_id(self) -> str:
        models = sorted({c.model for c in self.cases if c.model})
        return ",".join(models) or "unknown"

    def retrieval_metrics(self) -> dict[str, float] | None:
        """Mean reciprocal rank and hit rate over the retrieval cases."""
        ranked = [c for c in self.cases if c.kind == "retrieval"]
        if not ranked:
            return None
        mrr = sum(1.0 / c.rank for c in ranked if c.rank) / len(ranked)
        hit = sum(1 for c in ranked if c.rank) / len(ranked)
        return {"mrr": mrr, "hit_rate": hit, "cases": float(len(ranked))}


def _knowledge_client(target: Target) -> httpx.AsyncClient | None:
    if target.knowledge is None:
        return None
    # The knowledge base wants a caller key too (it names the caller for its rate limits).
    headers = {"Authorization": f"Bearer {target.api_key}"} if target.api_key else {}
    if target.knowledge.startswith("/"):
        return httpx.AsyncClient(
            base_url="http://localhost",
            transport=httpx.AsyncHTTPTransport(uds=target.knowledge),
            headers=headers,
            timeout=target.timeout_s,
        )
    return httpx.AsyncClient(base_url=target.knowledge, headers=headers, timeout=target.timeout_s)


def _error(response: httpx.Response) -> str:
    return f"HTTP {response.status_code}: {response.text[:200]}"


async def _ask(
    coordinator: httpx.AsyncClient, knowledge: httpx.AsyncClient | None, case: Case, prompt: str
) -> CaseOutput:
    v = case.vars
    headers = {"X-Aistack-Backend": str(v["backend"])} if "backend" in v else {}
    if case.kind == "chat":
        body = {
            "model": v.get("model", "auto"),
            "messages": [{"role": "user", "content": prompt}],
            "max_tokens": int(v.get("max_tokens", 512)),
        }
        response = await coordinator.post("/v1/chat/completions", json=body, headers=headers)
        if response.status_code != 200:
            return CaseOutput(error=_error(response))
        data = response.json()
        return CaseOutput(
            text=str(data["choices"][0]["message"].get("content") or ""),
            backend=response.headers.get("x-aistack-backend"),
            reason=response.headers.get("x-aistack-reason"),
            model=data.get("model"),
        )
    if case.kind in ("query", "rag"):
        if case.kind == "rag":
            if knowledge is None:
                return CaseOutput(error="no knowledge endpoint to ingest into (--knowledge)")
            doc = {"trust": "trusted", **v["document"]}
            ingested = await knowledge.post("/documents", json={"documents": [doc]})
            if ingested.status_code != 200:
                return CaseOutput(error="ingest: " + _error(ingested))
        body = {"query": prompt, **({"backend": v["backend"]} if "backend" in v else {})}
        if "collection" in v:
            body["collection"] = v["collection"]
        response = await coordinator.post("/query", json=body)
        if response.status_code != 200:
            return CaseOutput(error=_error(response))
        data = response.json()
        return CaseOutput(
            text=str(data.get("answer") or ""),
            backend=data.get("backend"),
            reason=data.get("reason"),
            model=data.get("model"),
            sources=[str(s.get("source")) for s in data.get("sources", [])],
        )
    if knowledge is None:
        return CaseOutput(error="no knowledge endpoint to search (--knowledge)")
    search: dict[str, Any] = {"query": prompt, "limit": int(v.get("k", 5))}
    if "collection" in v:
        search["collection"] = v["collection"]
    response = await knowledge.post("/search", json=search)
    if response.status_code != 200:
        return CaseOutput(error=_error(response))
    ranked = [str(r.get("source")) for r in response.json().get("results", [])]
    return CaseOutput(text="\n".join(ranked), ranked_sources=ranked)


async def run_suite(suite: Suite, target: Target) -> RunResult:
    """Every case in order (a rag case's document is there for the cases after it)."""
    headers = {"Authorization": f"Bearer {target.api_key}"} if target.api_key else {}
    started = time.time()
    results: list[CaseResult] = []
    knowledge = _knowledge_client(target)
    async with httpx.AsyncClient(
        base_url=target.coordinator_url, headers=headers, timeout=target.timeout_s
    ) as coordinator:
        for case in suite.tests:
            t0 = time.perf_counter()
            try:
                prompt = render_prompt(suite.prompts[0], case.vars)
                out = await _ask(coordinator, knowledge, case, prompt)
            except (httpx.HTTPError, ValueError, KeyError, IndexError, TypeError) as exc:
                out = CaseOutput(error=f"{type(exc).__name__}: {exc}"[:300])
            latency = round((time.perf_counter() - t0) * 1000.0, 1)
            checks = [] if out.error else [evaluate(a, out, case.vars) for a in case.asserts]
            rank = None
            wanted = case.vars.get("expected_source")
            if case.kind == "retrieval" and wanted in out.ranked_sources:
                rank = out.ranked_sources.index(wanted) + 1
            results.append(
                CaseResult(
                    id=case.id,
                    kind=case.kind,
                    passed=out.error is None and all(c.passed for c in checks),
                    latency_ms=latency,
                    checks=checks,
                    backend=out.backend,
                    model=out.model,
                    error=out.error,
                    rank=rank,
                )
            )
    if knowledge is not None:
        await knowledge.aclose()
    return RunResult(started_at=started, finished_at=time.time(), cases=results)


def case_json(case: CaseResult) -> dict[str, Any]:
    """A case result as the history and ``--json`` print it."""
    return {
        "id": case.id,
        "kind": case.kind,
        "passed": case.passed,
        "latency_ms": case.latency_ms,
        "backend": case.backend,
        "model": case.model,
        "error": case.error,
        "rank": case.rank,
        "checks": [{"type": c.type, "passed": c.passed, "reason": c.reason} for c in case.checks],
    }
