#pragma once
// Decoded packets and property sets as JSON in the shape MQTT.js (mqtt-packet) gives them:
// { cmd: 'publish', topic, qos, retain, dup, messageId, properties: { contentType, userProperties } }.
// A packet's binary payload (PUBLISH payload, will payload) is not written into the JSON: it is returned
// as `attachment` and travels beside it in the batch; binary properties are arrays of numbers.
#include "batch.hpp"
#include "codec/packets.hpp"

namespace postcard::wasm {

// Writes `"properties":{...}` when `p` is not empty.
void properties_field(json_writer& w, const properties& p);
void properties_object(json_writer& w, const properties& p);
void packet_json(json_writer& w, const packet& p, bytes_view& attachment);

}  // namespace postcard::wasm
