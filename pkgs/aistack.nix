# The aistack Python package: services, renderer and the `aistack` command.
{
  lib,
  python3Packages,
}:
python3Packages.buildPythonApplication {
  pname = "aistack";
  version = "0.1.0";
  pyproject = true;

  src = lib.fileset.toSource {
    root = ../python;
    fileset = lib.fileset.unions [
      ../python/pyproject.toml
      ../python/src
    ];
  };

  build-system = [ python3Packages.setuptools ];

  dependencies = with python3Packages; [
    pydantic
    jinja2
    httpx
    fastapi
    uvicorn
    httptools
    redis
    psutil
    prometheus-client
    zstandard
    mcp
    orjson
  ];

  optional-dependencies = with python3Packages; {
    knowledge = [
      qdrant-client
      psycopg
      pyyaml
    ];
    embeddings = [ sentence-transformers ];
  };

  pythonImportsCheck = [
    "aistack"
    "aistack.config"
  ];

  meta = {
    description = "Services and tooling of nixos-ai-stack";
    license = lib.licenses.mit;
    mainProgram = "aistack";
    maintainers = [ (import ../maintainers.nix).aistack ];
    platforms = lib.platforms.linux;
  };
}
