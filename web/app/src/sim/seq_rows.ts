// The sequence diagram's rows, chosen in the simulation worker: packets of the devices on the diagram
// and notes (connects, crashes, links, actions, steps, wills, takeovers), each packet labelled once by
// the codec, so only a bounded window crosses to the page.
import { EventKind, NO_DEVICE, PACKET_NAMES, type SimEvent } from './events';
import type { SeqEvent } from './protocol';

export const MAX_PENDING_ROWS = 2000;

export class SeqRows {
  shown = new Set<number>();
  pending: SeqEvent[] = [];
  dropped = 0;

  constructor(private readonly decodeJson: (bytes: Uint8Array, device: number) => string) {}

  add(e: SimEvent): void {
    const mine = e.device !== NO_DEVICE && this.shown.has(e.device);
    // A will firing, a takeover and a lesson step are rare and matter: noted whoever it concerns.
    const note = e.kind === EventKind.WillFired || e.kind === EventKind.Step || e.kind === EventKind.TakenOver ||
      (e.kind === EventKind.Action && (e.device === NO_DEVICE || mine));
    if (!((e.kind === EventKind.PacketSent && mine) || note ||
          (mine && (e.kind === EventKind.Crashed || e.kind === EventKind.Offline || e.kind === EventKind.LinkChanged ||
                    e.kind === EventKind.Connected)))) return;
    this.pending.push({ kind: e.kind, time: e.time, device: e.device, up: e.up, type: e.type, lost: e.lost, flag: e.flag,
      index: e.index, detail: e.detail, topic: e.topic, label: e.kind === EventKind.PacketSent ? this.label(e) : '' });
    if (this.pending.length > MAX_PENDING_ROWS) {
      const extra = this.pending.length - MAX_PENDING_ROWS;
      this.pending.splice(0, extra);
      this.dropped += extra;
    }
  }

  take(): { rows: SeqEvent[]; dropped: number } {
    const out = { rows: this.pending, dropped: this.dropped };
    this.pending = [];
    this.dropped = 0;
    return out;
  }

  private label(e: SimEvent): string {
    let label = PACKET_NAMES[e.type];
    if (!e.bytes) return label;
    const d = JSON.parse(this.decodeJson(e.bytes, e.device));
    const p = d.packet ?? {};
    if (p.cmd === 'publish') {
      label += ` q${p.qos}${p.messageId ? ' #' + p.messageId : ''}${p.dup ? ' DUP' : ''}${p.retain ? ' R' : ''}  ${p.topic || ''}`;
      if (d.payload !== undefined) label += ` “${String(d.payload).slice(0, 24)}”`;
    } else if (p.cmd === 'connect') {
      label += ` ${p.clientId}${p.will ? ' (will)' : ''}${p.clean ? '' : ' clean=0'}`;
    } else if (p.cmd === 'connack') {
      label += p.sessionPresent ? ' session present' : '';
      const rc = p.reasonCode ?? p.returnCode;
      if (rc) label += ` rc=${rc}`;
    } else if (p.messageId !== undefined) {
      label += ` #${p.messageId}`;
    }
    if (p.cmd === 'subscribe') label += ' ' + (p.subscriptions ?? []).map((s: any) => s.topic).join(' ');
    // [MQTT-3.14.2-1] v5: the broker tells the old connection why: 0x8E Session taken over.
    if (p.cmd === 'disconnect' && p.reasonCode) label += p.reasonCode === 0x8e ? ' 0x8E session taken over' : ` rc=${p.reasonCode}`;
    return label;
  }
}
