import protobuf from 'protobufjs';

// Loki's push request (pkg/push/push.proto): the stream's labels travel as one string in the
// Prometheus form; structured metadata (Loki 2.9+) is field 3 of an entry. Timestamp has the wire
// form of google.protobuf.Timestamp. The hash field is declared so decoding skips it by number.
const SCHEMA = `
syntax = "proto3";
package logsage.loki;

message Timestamp { int64 seconds = 1; int32 nanos = 2; }
message LabelPairAdapter { string name = 1; string value = 2; }
message EntryAdapter { Timestamp timestamp = 1; string line = 2; repeated LabelPairAdapter structuredMetadata = 3; }
message StreamAdapter { string labels = 1; repeated EntryAdapter entries = 2; uint64 hash = 3; }
message PushRequest { repeated StreamAdapter streams = 1; }
`;

const root = protobuf.parse(SCHEMA, { keepCase: true }).root;
const PushRequest = root.lookupType('logsage.loki.PushRequest');

/** A decoded protobuf push request: 64-bit seconds as decimal strings, absent fields as defaults. */
export interface ProtoPush {
  streams?: {
    labels?: string;
    entries?: { timestamp?: { seconds?: string; nanos?: number }; line?: string; structuredMetadata?: { name?: string; value?: string }[] }[];
  }[];
}

/** Decodes an uncompressed `logproto.PushRequest`; throws on malformed protobuf. */
export function decodePushRequest(bytes: Uint8Array): ProtoPush {
  return PushRequest.toObject(PushRequest.decode(bytes), { longs: String, defaults: false });
}
