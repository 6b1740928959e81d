"""Whether the local services some tests talk to are running (CI has them; a laptop may not)."""

import socket


def redis_up(host: str = "127.0.0.1", port: int = 6379) -> bool:
    try:
        socket.create_connection((host, port), timeout=0.5).close()
    except OSError:
        return False
    return True
