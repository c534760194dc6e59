"""JSON-RPC and metrics calls to a node, standard library only, never through a proxy."""
import json
import urllib.request

_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class RPCError(Exception):
    pass


def call(url, method, params=None, timeout=5.0):
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params or []}).encode()
    request = urllib.request.Request(url, data=body, headers={"content-type": "application/json"})
    try:
        with _opener.open(request, timeout=timeout) as response:
            reply = json.loads(response.read())
    except (OSError, ValueError) as error:
        raise RPCError(f"{method} {url}: {error}") from error
    if "error" in reply:
        raise RPCError(f"{method} {url}: {reply['error']}")
    return reply.get("result")


def pending_hashes(url, timeout=10.0, page=1000, max_pages=1000):
    """Every hash in the node's pool (node_getPendingTxs, paged by cursor)."""
    hashes, cursor = set(), None
    for _ in range(max_pages):
        result = call(url, "node_getPendingTxs", {"limit": page, "after": cursor} if cursor else {"limit": page},
                      timeout=timeout)
        hashes.update(tx["hash"] for tx in result["txs"])
        cursor = result.get("next")
        if not cursor:
            return hashes
    raise RPCError(f"{url}: more than {max_pages} pages")


def metrics(url, timeout=2.0):
    """The node's Prometheus text as {name{labels}: value}."""
    try:
        with _opener.open(url, timeout=timeout) as response:
            text = response.read().decode()
    except OSError as error:
        raise RPCError(f"{url}: {error}") from error
    values = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            try:
                values[name] = float(value)
            except ValueError:
                pass
    return values
