"""The transport under pywats' httpx2 client: aiohttp, with pywats' error and timeout mapping."""

from pywats.transport.aiohttp_transport import (
    AiohttpTransport,
    CertificateRejected,
    map_aiohttp_error,
)

__all__ = ["AiohttpTransport", "CertificateRejected", "map_aiohttp_error"]
