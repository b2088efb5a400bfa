"""The bare Flask page the public pages are measured against (bench/public_bench.py)."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, World!"
