// An incremental parser for Server-Sent Events (text/event-stream), as the HTML standard defines
// them: the page reads answers with fetch() and a body reader (EventSource cannot send the
// X-Answer-Token header), so it parses the stream itself.
//
// Feed it the body's chunks as they arrive, cut anywhere (inside a UTF-8 character, between the CR
// and the LF of a CRLF); each push returns what became complete: events ({type: "event", event,
// data, id}) and comments ({type: "comment", text}, e.g. the server's ": keep-alive"). Lines end with
// CRLF, LF or CR; "data" lines of one event are joined with "\n"; an event without data is not
// dispatched; an unfinished event at the end of the stream is dropped.

export class SseParser {
  constructor() {
    this.decoder = new TextDecoder("utf-8"); // drops a leading byte order mark, as the standard asks
    this.buffer = "";
    this.skipLineFeed = false; // the last chunk ended with CR: a LF starting the next one belongs to it
    this.started = false;
    this.lastEventId = "";
    this.retry = null;
    this.resetEvent();
  }

  resetEvent() {
    this.eventType = "";
    this.dataLines = [];
  }

  /** Parse one chunk (a Uint8Array of the body, or already-decoded text); returns what completed. */
  push(chunk) {
    let text = typeof chunk === "string" ? chunk : this.decoder.decode(chunk, { stream: true });
    if (!this.started && text) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) {
        text = text.slice(1);
      }
    }
    if (this.skipLineFeed && text) {
      this.skipLineFeed = false;
      if (text[0] === "\n") {
        text = text.slice(1);
      }
    }
    this.buffer += text;
    const out = [];
    let start = 0;
    for (let i = 0; i < this.buffer.length; i += 1) {
      const ch = this.buffer[i];
      if (ch !== "\n" && ch !== "\r") {
        continue;
      }
      this.line(this.buffer.slice(start, i), out);
      if (ch === "\r") {
        if (i + 1 === this.buffer.length) {
          this.skipLineFeed = true;
        } else if (this.buffer[i + 1] === "\n") {
          i += 1;
        }
      }
      start = i + 1;
    }
    this.buffer = this.buffer.slice(start);
    return out;
  }

  /** The stream ended: whatever was not terminated by a blank line is dropped. */
  finish() {
    this.decoder.decode();
    this.buffer = "";
    this.resetEvent();
    return [];
  }

  line(line, out) {
    if (line === "") {
      if (this.dataLines.length) {
        out.push({
          type: "event",
          event: this.eventType || "message",
          data: this.dataLines.join("\n"),
          id: this.lastEventId,
        });
      }
      this.resetEvent();
      return;
    }
    if (line[0] === ":") {
      out.push({ type: "comment", text: line.slice(1).replace(/^ /, "") });
      return;
    }
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value[0] === " ") {
      value = value.slice(1);
    }
    if (field === "data") {
      this.dataLines.push(value);
    } else if (field === "event") {
      this.eventType = value;
    } else if (field === "id") {
      if (!value.includes("\0")) {
        this.lastEventId = value;
      }
    } else if (field === "retry") {
      if (/^\d+$/.test(value)) {
        this.retry = Number(value);
      }
    }
    // Any other field is ignored, as the standard says.
  }
}
