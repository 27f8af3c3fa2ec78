// Reads a .zip of an action bundle: the central directory, then each
// file, stored or deflated (through the browser's DecompressionStream).
// Paths are kept as the zip names them (`demo/index.html`); folders are
// left out.

/** The files of `zip`, by path. Throws an Error saying what is wrong. */
export async function unzip(zip: Blob): Promise<Map<string, Blob>> {
  const bytes = new Uint8Array(await zip.arrayBuffer());
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-central-directory record: its signature, searched from the end
  // (a comment of up to 64 KiB may follow it).
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error("not a zip file (no end of central directory)");
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const files = new Map<string, Blob>();
  const decoder = new TextDecoder();
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) throw new Error("a damaged zip (central directory)");
    const method = view.getUint16(at + 10, true);
    const compressed = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith("/")) continue;
    if (local + 30 > bytes.length || view.getUint32(local, true) !== 0x04034b50) throw new Error(`a damaged zip (${name})`);
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const data = bytes.slice(start, start + compressed);
    if (method === 0) files.set(name, new Blob([data]));
    else if (method === 8) files.set(name, await new Response(new Blob([data]).stream().pipeThrough(new DecompressionStream("deflate-raw"))).blob());
    else throw new Error(`${name} uses compression method ${method}; only stored and deflated files are read`);
  }
  return files;
}
