// Remote mode: the world's transport_host in JavaScript. Every device gets its own WebSocket (subprotocol
// "mqtt") to a real broker; the bytes each way are also cut into packets for the log and the diagram.
import { EventKind, PacketSplitter, type SimEvent } from './events';
import type { RemoteHost, SimWorld } from './module';

export class WebSocketHost implements RemoteHost {
  private sockets = new Map<number, WebSocket>();
  private splitUp = new Map<number, PacketSplitter>();
  private splitDown = new Map<number, PacketSplitter>();
  world: SimWorld | null = null;
  errors: string[] = [];

  constructor(readonly url: string, private readonly emit: (e: SimEvent) => void) {}

  open(dev: number): void {
    this.close(dev);
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url, 'mqtt');
    } catch (e) {
      this.errors.push(String(e));
      queueMicrotask(() => this.world?.transportClosed(dev));
      return;
    }
    ws.binaryType = 'arraybuffer';
    this.sockets.set(dev, ws);
    this.splitUp.set(dev, new PacketSplitter());
    this.splitDown.set(dev, new PacketSplitter());
    ws.onopen = () => { if (this.sockets.get(dev) === ws) this.world?.transportOpened(dev); };
    ws.onmessage = (m) => {
      if (this.sockets.get(dev) !== ws) return;  // closed by the world (crash, reset): nobody listens
      const bytes = new Uint8Array(m.data as ArrayBuffer);
      this.splitDown.get(dev)?.push(bytes, (p) => this.packet(dev, false, p));
      this.world?.transportReceived(dev, bytes);
    };
    ws.onerror = () => this.errors.push(`device ${dev}: WebSocket error (${this.url})`);
    ws.onclose = () => {
      if (this.sockets.get(dev) !== ws) return;
      this.sockets.delete(dev);
      this.world?.transportClosed(dev);
    };
  }

  send(dev: number, bytes: Uint8Array): void {
    const copy = bytes.slice();
    this.splitUp.get(dev)?.push(copy, (p) => this.packet(dev, true, p));
    const ws = this.sockets.get(dev);
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(copy);
  }

  close(dev: number): void {
    const ws = this.sockets.get(dev);
    if (!ws) return;
    this.sockets.delete(dev);  // the world asked: its onclose reports nothing
    ws.close();
  }

  closeAll(): void {
    for (const dev of [...this.sockets.keys()]) this.close(dev);
  }

  private packet(dev: number, up: boolean, bytes: Uint8Array): void {
    const t = this.world?.now() ?? 0;
    this.emit({ kind: EventKind.PacketSent, up, type: bytes[0] >> 4, lost: false, flag: false, qos: (bytes[0] >> 1) & 3,
      time: t, device: dev, broker: 0, deliverAt: t, index: 0, bytes, topic: '', payload: '', detail: 'remote' });
  }
}
