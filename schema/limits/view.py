"""The HTTP side of ``/graphql``: GraphQL over HTTP and the limits a request meets before any
GraphQL work.

In order, before the body is parsed: the response media type (``Accept``; 406 when neither
``application/graphql-response+json`` nor ``application/json`` is acceptable), the per-viewer
rate limit (429), the body size (413, counted while reading). Then the batch size, uploads,
persisted and trusted documents. Every refusal is a GraphQL response with a code and runs no
SQL: the viewer is identified by the token's signature alone here, and loaded from the
database only once the document passed (:class:`schema.limits.extension.Authenticate`).

Status codes follow the GraphQL-over-HTTP specification: with
``application/graphql-response+json`` (the default, also for ``*/*`` or no ``Accept``) a request
error answers 4xx with no ``data`` entry (400 parse, validation, variables and complexity; 401,
403, 413, 429 as their codes say) and any executed operation 200; with ``application/json``
every well-formed request answers 200.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import replace
from datetime import timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import GraphQLError
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData, GraphQLRequestProtocol
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    ErrorMessage,
    SubscribeMessage,
)
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from core.config.model import HemeiConfig
from core.errors import (
    BadRequest,
    DocumentNotTrusted,
    ErrorCode,
    HemeiError,
    NotFound,
    PersistedQueryNotFound,
    RateLimited,
    RequestTooLarge,
    Unauthenticated,
)
from schema.context import Context, bearer
from schema.lean import LeanQueries
from schema.limits.documents import DocumentStore, document_hash
from schema.limits.rate import MemoryRateLimiter, RateLimiter, rate_for
from schema.request_headers import headers_of

if TYPE_CHECKING:
    from core.access.tokens import TokenService

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
STATUS = {
    ErrorCode.GRAPHQL_PARSE_FAILED: 400,
    ErrorCode.GRAPHQL_VALIDATION_FAILED: 400,
    ErrorCode.QUERY_TOO_COMPLEX: 400,
    ErrorCode.BAD_USER_INPUT: 400,
    ErrorCode.BAD_REQUEST: 400,
    ErrorCode.PERSISTED_QUERY_NOT_FOUND: 400,
    ErrorCode.UNAUTHENTICATED: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.DOCUMENT_NOT_TRUSTED: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.REQUEST_TOO_LARGE: 413,
    ErrorCode.RATE_LIMITED: 429,
    ErrorCode.DATABASE_UNAVAILABLE: 503,
    ErrorCode.INTERNAL_SERVER_ERROR: 500,
}
_media: ContextVar[str] = ContextVar("hemei_response_media", default=GRAPHQL_RESPONSE)
_client_host: ContextVar[str] = ContextVar("hemei_client_host", default="-")


class Refused(Exception):
    """A request refused before GraphQL work: answered as a GraphQL response with ``error``.
    ``always``: the status applies whatever the media type (the request was not well-formed)."""

    def __init__(
        self,
        error: HemeiError,
        status: int,
        *,
        always: bool = False,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(error.message)
        self.error, self.status, self.always = error, status, always
        self.headers = headers or {}


@lru_cache(maxsize=256)  # clients send the same few headers on every request
def negotiate(accept: str | None) -> str | None:
    """The response media type for an ``Accept`` header, or None when neither is acceptable.
    No header, ``*/*`` and ``application/*`` choose ``application/graphql-response+json``."""
    if not accept or not accept.strip():
        return GRAPHQL_RESPONSE
    best: tuple[float, int, int] | None = None
    chosen: str | None = None
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        media = media.lower()
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality <= 0:
            continue
        for candidate, preference in ((GRAPHQL_RESPONSE, 1), (JSON, 0)):
            if media == candidate:
                specificity = 2
            elif media in ("*/*", "application/*"):
                specificity = 1
            else:
                continue
            score = (quality, specificity, preference)
            if best is None or score > best:
                best, chosen = score, candidate
    return chosen


def request_error_status(response: GraphQLHTTPResponse) -> int | None:
    """The status of a response without ``data`` (a request error), None for one that ran."""
    if "data" in response:
        return None
    for error in response.get("errors") or ():
        code = (error.get("extensions") or {}).get("code") if isinstance(error, dict) else None
        if code in STATUS:
            return STATUS[ErrorCode(code)]
    return 400


class _TooLarge(Exception):
    pass


class GuardedGraphQL(GraphQL[Context, None]):
    """Strawberry's ASGI view with Hemei's HTTP rules. A subclass provides ``config`` and
    ``tokens``."""

    def encode_json(self, data: object) -> bytes:
        # orjson: ~10x faster than the standard library on a large response, and UTF-8 text
        # instead of \u escapes (a 750 KB nested read in Chinese was 1.3 MB escaped).
        return orjson.dumps(data)

    limiter: RateLimiter
    documents: DocumentStore
    lean: LeanQueries

    def __init__(self, schema: Any, **kwargs: Any) -> None:
        # Only graphql-transport-ws: the older graphql-ws protocol is unmaintained.
        super().__init__(schema, subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,), **kwargs)
        self.limiter = MemoryRateLimiter()
        self.lean = LeanQueries()
        self.graphql_transport_ws_handler_class = _TransportWS

    # WebSocket limits follow the config in force (strawberry reads them per connection).
    @property
    def max_subscriptions_per_connection(self) -> int:
        return self.config.limits.max_subscriptions_per_connection

    @max_subscriptions_per_connection.setter
    def max_subscriptions_per_connection(self, value: int | None) -> None:
        pass

    @property
    def connection_init_wait_timeout(self) -> timedelta:
        return timedelta(seconds=self.config.limits.connection_init_timeout_seconds)

    @connection_init_wait_timeout.setter
    def connection_init_wait_timeout(self, value: timedelta) -> None:
        pass

    async def admit_operation(self, context: Context) -> None:
        """Charge one operation on a WebSocket to its viewer's rate limit."""
        viewer = context.viewer_if_valid
        account = viewer.account_id if viewer is not None else None
        await self._charge(account, context.client or "-", 1)

    # Provided by the subclass ------------------------------------------------------------
    @property
    def config(self) -> HemeiConfig:
        raise NotImplementedError

    @property
    def tokens(self) -> TokenService:
        raise NotImplementedError

    # The HTTP entry ----------------------------------------------------------------------
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        media = negotiate(headers_of(scope).get("accept"))
        if media is None and not self._wants_ide(Request(scope, receive=receive)):
            response = _refusal(
                BadRequest(
                    f"Acceptable response types: {GRAPHQL_RESPONSE}, {JSON}.",
                    accept=[GRAPHQL_RESPONSE, JSON],
                ),
                406,
                JSON,
                always=True,
            )
            await response(scope, receive, send)
            return
        media = media or GRAPHQL_RESPONSE
        reset = _media.set(media)
        peer = scope.get("client")
        client = _client_host.set(peer[0] if peer else "-")
        try:
            response = await self._answer(scope, receive, media)
        finally:
            _media.reset(reset)
            _client_host.reset(client)
        await response(scope, receive, send)

    async def _answer(self, scope: Scope, receive: Receive, media: str) -> Response:
        limits = self.config.limits
        try:
            request = Request(scope, receive=self._limited(scope, receive))
            await self._charge(self._account(headers_of(scope)), self._client(), 1)
            return await self.lean.answer(self, request) or await self.run(request)
        except Refused as refused:
            return _refusal(
                refused.error,
                refused.status,
                media,
                always=refused.always,
                headers=refused.headers,
            )
        except _TooLarge:
            multipart = _is_multipart(scope)
            limit = limits.max_upload_bytes if multipart else limits.max_body_bytes
            too_large = RequestTooLarge(
                f"The request is larger than {limit} bytes.", limit="bodyBytes", max=limit
            )
            return _refusal(too_large, 413, media, always=True)
        except HTTPException as exc:
            error: HemeiError = (
                NotFound(exc.reason) if exc.status_code == 404 else BadRequest(exc.reason)
            )
            return _refusal(error, exc.status_code, media, always=True)

    def should_render_graphql_ide(self, request: Any) -> bool:
        """GraphiQL for a browser's page load only: a GET asking for HTML with no operation
        (a persisted query sent by GET with ``Accept: */*`` runs)."""
        params = request.query_params
        return (
            request.method == "GET"
            and params.get("query") is None
            and params.get("extensions") is None
            and "text/html" in request.headers.get("accept", "")
        )

    def _wants_ide(self, request: Request) -> bool:
        return self.graphql_ide is not None and self.should_render_graphql_ide(
            self.request_adapter_class(request)
        )

    def _limited(self, scope: Scope, receive: Receive) -> Receive:
        """``receive`` that refuses a body past the limit, whatever Content-Length says."""
        limits = self.config.limits
        limit = limits.max_upload_bytes if _is_multipart(scope) else limits.max_body_bytes
        if len(scope.get("query_string") or b"") > limits.max_body_bytes:
            raise _TooLarge
        declared = headers_of(scope).get("content-length") or ""
        if declared.isdigit() and int(declared) > limit:
            raise _TooLarge
        seen = 0

        async def receive_limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _TooLarge
            return message

        return receive_limited

    # Who is asking -----------------------------------------------------------------------
    def account_of(self, request: Request) -> int | None:
        """The account of the request's token if its signature is valid (not yet loaded)."""
        return self._account(headers_of(request.scope))

    def _account(self, headers: Mapping[str, str]) -> int | None:
        """The account of a token with a valid signature (not yet loaded from the database)."""
        token = bearer(headers.get("authorization"))
        return self.tokens.account_id(token) if token else None

    def _client(self) -> str:
        return _client_host.get()

    async def _charge(self, account: int | None, client: str, cost: int) -> None:
        if cost <= 0:
            return
        key = f"account:{account}" if account is not None else f"client:{client}"
        rate = rate_for(self.config.limits, signed_in=account is not None)
        decision = await self.limiter.take(key, rate, cost)
        if not decision.allowed:
            seconds = decision.retry_after_seconds
            error = RateLimited(
                f"Too many requests: retry in {seconds} s.",
                retryAfterSeconds=seconds,
                limit="perMinute",
                max=rate.per_minute,
            )
            raise Refused(error, 429, headers={"Retry-After": str(seconds)})

    # Parsing the request -----------------------------------------------------------------
    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        parsed = await super().parse_http_body(request)
        account = self._account(request.headers)
        anonymous = account is None
        if isinstance(parsed, list):
            await self._charge(account, self._client(), len(parsed) - 1)
            return [self._resolve_document(item, anonymous) for item in parsed]
        return self._resolve_document(parsed, anonymous)

    def _resolve_document(self, data: GraphQLRequestData, anonymous: bool) -> GraphQLRequestData:
        persisted = (data.extensions or {}).get("persistedQuery")
        digest: str | None = None
        if persisted is not None:
            digest = persisted.get("sha256Hash") if isinstance(persisted, dict) else None
            if not isinstance(digest, str):
                raise Refused(BadRequest("persistedQuery needs a sha256Hash string."), 400)
            digest = digest.lower()
            if data.query is None:
                found = self.documents.get(digest)
                if found is None:
                    error = PersistedQueryNotFound("No document is registered with this hash.")
                    raise Refused(error, 400)
                data = replace(data, query=found.body)
            elif document_hash(data.query) != digest:
                raise Refused(BadRequest("The query does not match its sha256Hash."), 400)
        if anonymous and self.config.documents.require_for_anonymous and data.query is not None:
            registered = self.documents.get(digest or document_hash(data.query)) is not None
            if not registered:
                untrusted = DocumentNotTrusted(
                    "Without a token only registered documents may be sent; sign in to send "
                    "your own."
                )
                raise Refused(untrusted, 403)
        return data

    def _validate_batch_request(
        self, request_data: list[GraphQLRequestData], protocol: GraphQLRequestProtocol
    ) -> None:
        most = self.config.limits.max_batch_operations
        if most == 0:
            raise Refused(BadRequest("Batched requests are turned off here."), 400, always=True)
        if protocol != "http":
            raise Refused(BadRequest("Batching is not possible with streaming."), 400, always=True)
        if not request_data or len(request_data) > most:
            error = RequestTooLarge(
                f"A batch holds 1 to {most} operations.", limit="batchOperations", max=most
            )
            raise Refused(error, 413, always=True)

    async def parse_multipart(self, request: AsyncHTTPRequestAdapter) -> dict[str, str]:
        if self.config.server.production and self._account(request.headers) is None:
            raise Refused(Unauthenticated("Sign in to upload files."), 401)
        operations = await super().parse_multipart(request)
        files = _count_uploads(operations)
        most = self.config.limits.max_upload_files
        if files > most:
            error = RequestTooLarge(
                f"At most {most} files in one request.", limit="uploadFiles", max=most
            )
            raise Refused(error, 413, always=True)
        return operations

    # Running -----------------------------------------------------------------------------
    async def execute_operation(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        request_data: GraphQLRequestData | list[GraphQLRequestData],
        context: Context,
        root_value: None,
        sub_response: Response,
    ) -> Any:
        if not isinstance(request_data, list):
            result = await super().execute_operation(
                request, request_adapter, request_data, context, root_value, sub_response
            )
            if isinstance(result, ExecutionResult | GraphQLExecutionResult):
                context.release()  # a stream (SSE, multipart) still reads through its loaders
            return result
        # One after another, each with its own loaders, so that a mutation's audit note and a
        # later query's reads stay apart.
        results = []
        for data in request_data:
            forked = context.fork()
            try:
                results.append(
                    await self.execute_single(
                        request, request_adapter, sub_response, forked, root_value, data
                    )
                )
            finally:
                forked.release()
        return results

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        try:
            return await super().execute_single(
                request, request_adapter, sub_response, context, root_value, request_data
            )
        except HTTPException as exc:
            if isinstance(exc.__cause__, CannotGetOperationTypeError):
                # A well-formed request whose operation is not in the document: a request
                # error (200 with application/json).
                raise Refused(BadRequest(exc.reason), 400) from exc
            if isinstance(exc.__cause__, InvalidOperationTypeError):
                # GraphQL over HTTP: a mutation over GET is 405 Method Not Allowed.
                allowed = OperationType.from_http(request_adapter.method)
                if exc.__cause__.operation_type not in allowed:
                    raise HTTPException(405, exc.reason) from exc
            raise

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        response = await super().process_result(request, result)
        if result.data is None and result.errors and all(e.path is None for e in result.errors):
            # A request error (parse, validation, variables, limits): it has no data entry.
            response.pop("data", None)
        return response

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        """What strawberry's gives: no body, no headers, no status (resolvers may add them)."""
        return _Prepared(b"", [], None)

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: Response,
    ) -> Response:
        # As strawberry's create_response, with the headers written as they are: the body's
        # length, the negotiated media type, and whatever a resolver put on the sub-response.
        media = _media.get()
        body = self.encode_json(response_data)
        raw = [
            (b"content-length", str(len(body)).encode()),
            (b"content-type", _CONTENT_TYPES.get(media) or f"{media}; charset=utf-8".encode()),
        ]
        raw += sub_response.raw_headers
        response = _Prepared(body, raw, sub_response.status_code or 200)
        if sub_response.background:
            response.background = sub_response.background
        if media == GRAPHQL_RESPONSE and isinstance(response_data, dict):
            status = request_error_status(response_data)
            if status is not None:
                response.status_code = status
        return response


_CONTENT_TYPES = {media: f"{media}; charset=utf-8".encode() for media in (GRAPHQL_RESPONSE, JSON)}


class _Prepared(Response):
    """A response made of its body and raw headers as they are. Starlette's constructor looks
    for a length and type among the headers it is given and encodes each anew: for a read by
    id's response and sub-response that was ~250 of its 5,300 bytecodes."""

    def __init__(
        self, body: bytes, raw_headers: list[tuple[bytes, bytes]], status_code: int | None
    ) -> None:
        self.status_code = status_code  # type: ignore[assignment] # None: not set (sub-response)
        self.background = None
        self.body = body
        self.raw_headers = raw_headers


class _TransportWS(BaseGraphQLTransportWSHandler[Context, None]):
    """graphql-transport-ws with coded refusals: too many operations open on the connection,
    or too many started per minute, answer an ``error`` message with ``RATE_LIMITED``."""

    view: GuardedGraphQL

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        if self.connection_acknowledged and message["id"] not in self.operations:
            most = self.max_subscriptions_per_connection
            try:
                if most is not None and len(self.operations) >= most:
                    error = RateLimited(
                        f"At most {most} operations at once on one connection.",
                        limit="subscriptionsPerConnection",
                        max=most,
                    )
                    raise Refused(error, 429)
                await self.view.admit_operation(self.context)
            except Refused as refused:
                coded = GraphQLError(refused.error.message, extensions=refused.error.extensions())
                reply: ErrorMessage = {
                    "id": message["id"],
                    "type": "error",
                    "payload": [coded.formatted],
                }
                await self.send_message(reply)
                return
        await super().handle_subscribe(message)


def _refusal(
    error: HemeiError,
    status: int,
    media: str,
    *,
    always: bool = False,
    headers: dict[str, str] | None = None,
) -> Response:
    body = {"errors": [{"message": error.message, "extensions": error.extensions()}]}
    code = status if always or media == GRAPHQL_RESPONSE else 200
    return Response(
        orjson.dumps(body),
        status_code=code,
        media_type=f"{media}; charset=utf-8",
        headers=headers,
    )


def _is_multipart(scope: Scope) -> bool:
    return (headers_of(scope).get("content-type") or "").lower().startswith("multipart/")


def _count_uploads(value: Any) -> int:
    if isinstance(value, UploadFile):
        return 1
    if isinstance(value, dict):
        return sum(_count_uploads(v) for v in value.values())
    if isinstance(value, list):
        return sum(_count_uploads(v) for v in value)
    return 0
