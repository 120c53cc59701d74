"""The design the gateway replaces, rebuilt from its API docs (../shared/spec): FastAPI + BackgroundTasks.

Accepts an upload, answers {filename, status, request_uuid} at once, then (in the same process, after the answer)
calls the inference server with the image and POSTs the result envelope to the caller's webhook. Not durable: a
crash or restart loses every accepted job that has not been delivered yet. Only for the side-by-side benchmark
(bench/SideBySide.java starts it with 2 uvicorn workers); the inference server is SEED_INFERENCE_URL.
"""
import json
import os
import time
import uuid

import asyncio.base_events
import socket

import httpx
from fastapi import BackgroundTasks, FastAPI, File, Header, UploadFile
from fastapi.responses import JSONResponse

INFERENCE_URL = os.environ["SEED_INFERENCE_URL"]


def _nodelay(sock):
    # uvicorn --workers hands each worker the listening socket through multiprocessing, whose copy reports proto 0,
    # so asyncio skips TCP_NODELAY on accepted connections: every keep-alive answer (headers, then body) then waits
    # ~40 ms for the client's delayed ACK. Set it as asyncio would for a socket it created itself: the seed at its best.
    if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


asyncio.base_events._set_nodelay = _nodelay
app = FastAPI()
client: httpx.AsyncClient


@app.on_event("startup")
async def open_client():
    global client
    client = httpx.AsyncClient(timeout=120, limits=httpx.Limits(max_connections=None, max_keepalive_connections=64))


@app.get("/ping")
async def ping():
    return {"status": "ok"}


async def infer_and_notify(image: bytes, content_type: str, filename: str, request_uuid: str,
                           examination_id, parameters, webhook_url: str):
    headers = {"Content-Type": content_type, "X-Request-ID": request_uuid, "Inference-Parameters": parameters or "{}"}
    if examination_id:
        headers["Examination-ID"] = examination_id
    envelope = {"type": "inference.result", "request_uuid": request_uuid, "examination_id": examination_id,
                "filename": filename, "result_path": None, "timestamp": int(time.time())}
    try:
        answer = await client.post(INFERENCE_URL, content=image, headers=headers)
        answer.raise_for_status()
        envelope.update(status="completed", result=answer.json())
    except Exception as e:  # the seed's only error handling: tell the webhook once
        envelope.update(status="error", error=str(e))
    await client.post(webhook_url, content=json.dumps(envelope), headers={
        "Content-Type": "application/json", "webhook-id": request_uuid, "webhook-timestamp": str(envelope["timestamp"])})


@app.post("/invocations")
async def predict_image(background_tasks: BackgroundTasks, image: UploadFile = File(...),
                        inference_parameters: str = Header(None), webhook_url: str = Header(None),
                        examination_id: str = Header(None)):
    if not webhook_url:
        return JSONResponse(status_code=400, content={"error": "Webhook-Url header is missing"})
    if not (image.content_type or "").startswith("image/"):
        return JSONResponse(status_code=400, content={"error": "Unsupported content type"})
    data = await image.read()
    request_uuid = str(uuid.uuid4())
    background_tasks.add_task(infer_and_notify, data, image.content_type, image.filename, request_uuid,
                              examination_id, inference_parameters, webhook_url)
    return {"filename": image.filename, "status": "sent", "request_uuid": request_uuid}
