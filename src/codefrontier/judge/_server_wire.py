# mypy: ignore-errors
# (standalone, untyped stdlib code that runs inside the sandbox; checked by the judge's tests)
"""The fork server's side of the protocol: JSON messages with fds (SCM_RIGHTS) on a SOCK_SEQPACKET
socket, through the C modules only (`_json`, `_socket`) rather than `json` and `socket`; and
`suppress`, for `contextlib`'s.

Every module the server holds is copied into each run's address space at fork and torn down at
its exit: `json`, `socket`, `signal` and `contextlib` (with the `re`, `enum`, `functools`,
`selectors`, ... they import) cost ~0.8 MB of anonymous memory and ~60 copy-on-write faults a
run. The wire format is the judge's `json.dumps` output, unchanged. A sibling module of
`_server.py`, loaded by path.
"""

import _json
import _socket
import array

SOL_SOCKET, SCM_RIGHTS = _socket.SOL_SOCKET, _socket.SCM_RIGHTS


class _Decoding:
    """What `_json.make_scanner` reads off a `json.JSONDecoder` (its defaults)."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    parse_constant = float  # NaN, Infinity, -Infinity


def _refuse(obj):
    raise TypeError(f"not JSON serializable: {type(obj).__name__}")


_scan = _json.make_scanner(_Decoding())
# json.dumps(obj) with its defaults: ASCII output, ", " and ": " separators, NaN allowed, no sorting
_encode = _json.make_encoder(None, _refuse, _json.encode_basestring_ascii, None, ": ", ", ", False, False, True)


def loads(data):
    text = data.decode("utf-8")
    obj, end = _scan(text, 0)
    if text[end:].strip():
        raise ValueError("extra data after the JSON message")
    return obj


def dumps(obj):
    return "".join(_encode(obj, 0)).encode()


def socket_of(fd):
    return _socket.socket(fileno=fd)


def send(sock, obj, fds=()):
    anc = [(SOL_SOCKET, SCM_RIGHTS, array.array("i", fds))] if fds else []
    sock.sendmsg([dumps(obj)], anc)


def recv(sock, size, maxfds):
    """(data, fds) of one message, as socket.recv_fds; b"" when the peer is gone."""
    data, anc, _, _ = sock.recvmsg(size, _socket.CMSG_LEN(maxfds * 4))
    fds = array.array("i")
    for level, kind, payload in anc:
        if level == SOL_SOCKET and kind == SCM_RIGHTS:
            fds.frombytes(payload[: len(payload) - len(payload) % fds.itemsize])
    return data, list(fds)


class suppress:  # noqa: N801  (contextlib.suppress, without contextlib's imports)
    def __init__(self, *errors):
        self.errors = errors

    def __enter__(self):
        return None

    def __exit__(self, kind, err, tb):
        return kind is not None and issubclass(kind, self.errors)
