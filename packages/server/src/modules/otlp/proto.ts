import protobuf from 'protobufjs';

// The subset of opentelemetry-proto (logs v1, common v1, resource v1) and google.rpc.Status this
// receiver reads and writes. Field numbers follow the published protocol; fields we never read
// (dropped counts, schema URLs) stay declared so a decoder skips them by number, not by accident.
const SCHEMA = `
syntax = "proto3";
package logsage.otlp;

message AnyValue {
  oneof value {
    string string_value = 1;
    bool bool_value = 2;
    int64 int_value = 3;
    double double_value = 4;
    ArrayValue array_value = 5;
    KeyValueList kvlist_value = 6;
    bytes bytes_value = 7;
  }
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
message KeyValue { string key = 1; AnyValue value = 2; }
message InstrumentationScope {
  string name = 1;
  string version = 2;
  repeated KeyValue attributes = 3;
  uint32 dropped_attributes_count = 4;
}
message Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }

message LogRecord {
  fixed64 time_unix_nano = 1;
  fixed64 observed_time_unix_nano = 11;
  int32 severity_number = 2;
  string severity_text = 3;
  AnyValue body = 5;
  repeated KeyValue attributes = 6;
  uint32 dropped_attributes_count = 7;
  fixed32 flags = 8;
  bytes trace_id = 9;
  bytes span_id = 10;
  string event_name = 12;
}
message ScopeLogs { InstrumentationScope scope = 1; repeated LogRecord log_records = 2; string schema_url = 3; }
message ResourceLogs { Resource resource = 1; repeated ScopeLogs scope_logs = 2; string schema_url = 3; }

message ExportLogsServiceRequest { repeated ResourceLogs resource_logs = 1; }
message ExportLogsPartialSuccess { int64 rejected_log_records = 1; string error_message = 2; }
message ExportLogsServiceResponse { ExportLogsPartialSuccess partial_success = 1; }

message Any { string type_url = 1; bytes value = 2; }
message Status { int32 code = 1; string message = 2; repeated Any details = 3; }
`;

// severity_number is an enum in opentelemetry-proto; as int32 it has the same wire form and
// unknown values survive decoding instead of being dropped.
const root = protobuf.parse(SCHEMA, { keepCase: false }).root;

export const ExportLogsServiceRequest = root.lookupType('logsage.otlp.ExportLogsServiceRequest');
export const ExportLogsServiceResponse = root.lookupType('logsage.otlp.ExportLogsServiceResponse');
export const RpcStatus = root.lookupType('logsage.otlp.Status');
