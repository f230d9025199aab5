// Drives the Lex V2 runtime emulator with the AWS SDK for JavaScript v3 and prints what came back as JSON.
//
//   node tests/js/lex_client.mjs '{"endpoint": "http://127.0.0.1:PORT", "handler": "default",
//                                  "botId": "...", "botAliasId": "...", "localeId": "en_US",
//                                  "session": "js-1", "together": 3}'
//
// handler: "default" (the client's own request handler: NodeHttp2Handler, one HTTP/2 session per
// request), "http2" (NodeHttp2Handler multiplexing every call on one HTTP/2 session) or "http1"
// (NodeHttpHandler, HTTP/1.1). The Python test (tests/integration/emulator/test_emulator_js_client.py)
// checks the printed results; this script only records them, errors included.
import { gunzipSync, gzipSync } from "node:zlib";

import {
  DeleteSessionCommand,
  GetSessionCommand,
  LexRuntimeV2Client,
  PutSessionCommand,
  RecognizeTextCommand,
  RecognizeUtteranceCommand,
} from "@aws-sdk/client-lex-runtime-v2";
import { NodeHttp2Handler, NodeHttpHandler } from "@smithy/node-http-handler";

const options = JSON.parse(process.argv[2]);
const TEXT = "text/plain; charset=utf-8";

function requestHandler(kind) {
  if (kind === "default") return undefined;
  if (kind === "http1") return new NodeHttpHandler();
  if (kind === "http2") return new NodeHttp2Handler({ disableConcurrentStreams: false });
  throw new Error(`unknown handler ${kind}`);
}

const client = new LexRuntimeV2Client({
  endpoint: options.endpoint,
  region: "us-east-1",
  credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
  maxAttempts: 1,
  requestHandler: requestHandler(options.handler),
});
const ids = { botId: options.botId, botAliasId: options.botAliasId, localeId: options.localeId };

// Lex's compressed headers: JSON, gzip-compressed, then base64 (RecognizeUtterance and PutSession).
const pack = (value) => gzipSync(Buffer.from(JSON.stringify(value), "utf8")).toString("base64");
const unpack = (value) => (value ? JSON.parse(gunzipSync(Buffer.from(value, "base64")).toString("utf8")) : null);

async function call(command) {
  try {
    const { $metadata, ...output } = await client.send(command);
    return { ok: true, status: $metadata.httpStatusCode, output };
  } catch (error) {
    return { ok: false, name: error.name, status: error.$metadata?.httpStatusCode, message: error.message };
  }
}

async function utterance(sessionId, text, extra = {}) {
  const result = await call(
    new RecognizeUtteranceCommand({
      ...ids,
      sessionId,
      requestContentType: TEXT,
      responseContentType: TEXT,
      inputStream: Buffer.from(text, "utf8"),
      ...extra,
    }),
  );
  if (!result.ok) return result;
  const out = result.output;
  const audio = out.audioStream ? await out.audioStream.transformToString() : "";
  return {
    ok: true,
    status: result.status,
    inputMode: out.inputMode,
    contentType: out.contentType,
    sessionId: out.sessionId,
    audioStream: audio,
    messages: unpack(out.messages),
    interpretations: unpack(out.interpretations),
    sessionState: unpack(out.sessionState),
    requestAttributes: unpack(out.requestAttributes),
    inputTranscript: unpack(out.inputTranscript),
  };
}

const session = options.session;
const other = `${session}-put`;
const results = {
  handlerProtocol: client.config.requestHandler.metadata?.handlerProtocol ?? null,
};
results.recognizeText = await call(new RecognizeTextCommand({ ...ids, sessionId: session, text: options.greeting }));
results.recognizeUtterance = await utterance(session, options.answer, {
  sessionState: pack({ sessionAttributes: { client: "js" } }),
  requestAttributes: pack({ channel: "node" }),
});
results.getSession = await call(new GetSessionCommand({ ...ids, sessionId: session }));
const put = await call(
  new PutSessionCommand({
    ...ids,
    sessionId: other,
    sessionState: { dialogAction: { type: "ElicitIntent" }, sessionAttributes: { seededBy: "js" } },
    messages: [{ contentType: "PlainText", content: "What can I do for you?" }],
    responseContentType: TEXT,
  }),
);
if (put.ok) {
  const out = put.output;
  const audio = out.audioStream ? await out.audioStream.transformToString() : "";
  put.output = {
    contentType: out.contentType,
    sessionId: out.sessionId,
    audioStream: audio,
    messages: unpack(out.messages),
    sessionState: unpack(out.sessionState),
  };
}
results.putSession = put;
results.getPutSession = await call(new GetSessionCommand({ ...ids, sessionId: other }));
results.deleteSession = await call(new DeleteSessionCommand({ ...ids, sessionId: session }));
results.getDeletedSession = await call(new GetSessionCommand({ ...ids, sessionId: session }));
results.audioUtterance = await utterance(session, "", {
  requestContentType: "audio/l16; rate=16000; channels=1",
  inputStream: Buffer.alloc(320),
});
const count = options.together ?? 0;
results.together = await Promise.all(
  Array.from({ length: count }, (_, index) =>
    call(new RecognizeTextCommand({ ...ids, sessionId: `${session}-together-${index}`, text: "together now" })),
  ),
);
client.destroy();
process.stdout.write(`${JSON.stringify(results)}\n`);
