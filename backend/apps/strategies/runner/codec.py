"""Le format des messages entre le processus principal et le runner : un en-tête JSON puis les tableaux
numpy en octets bruts. Ni pickle ni code : ce qui vient du runner (code utilisateur) est lu sans danger."""

import json
import struct

import numpy as np

_DTYPES = {"f8": np.float64, "i8": np.int64, "b1": np.bool_}
_HEADER = struct.Struct(">I")
MAX_HEADER_BYTES = 64 * 1024 * 1024


class ProtocolError(Exception):
    """Message illisible ou trop gros (le runner est alors remplacé)."""


def encode(body: dict, arrays: dict[str, np.ndarray] | None = None) -> bytes:
    specs, chunks = [], []
    for name, array in (arrays or {}).items():
        array = np.ascontiguousarray(array)
        kind = array.dtype.kind + str(array.dtype.itemsize)
        if kind not in _DTYPES:
            raise ProtocolError(f"Type de tableau non transmissible : {array.dtype}.")
        specs.append([name, kind, array.shape[0] if array.ndim else 0])
        chunks.append(array.astype(np.dtype(_DTYPES[kind]).newbyteorder("<"), copy=False).tobytes())
    header = json.dumps({"body": body, "arrays": specs}, separators=(",", ":")).encode()
    return b"".join([_HEADER.pack(len(header)), header, *chunks])


def read_message(read_exactly) -> tuple[dict, dict[str, np.ndarray]]:
    """Lit un message avec `read_exactly(n) -> bytes` ; lève ProtocolError s'il est mal formé."""
    (size,) = _HEADER.unpack(read_exactly(_HEADER.size))
    if size > MAX_HEADER_BYTES:
        raise ProtocolError("En-tête trop gros.")
    try:
        header = json.loads(read_exactly(size))
        body, specs = header["body"], header["arrays"]
        arrays = {}
        for name, kind, length in specs:
            dtype = np.dtype(_DTYPES[kind]).newbyteorder("<")
            if not isinstance(length, int) or length < 0 or length * dtype.itemsize > 1 << 31:
                raise ProtocolError("Tableau de taille invalide.")
            arrays[str(name)] = np.frombuffer(read_exactly(length * dtype.itemsize), dtype=dtype)
    except (KeyError, TypeError, ValueError) as exc:
        raise ProtocolError(f"Message illisible : {exc}") from None
    if not isinstance(body, dict):
        raise ProtocolError("Message illisible.")
    return body, arrays
