"""The HTTP transport under pywats' httpx client: HTTP/1.1 on asyncio protocols, one pool."""

from pywats.transport.httpx_transport import AsyncioTransport

__all__ = ["AsyncioTransport"]
