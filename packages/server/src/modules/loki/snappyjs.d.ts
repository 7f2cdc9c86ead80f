// snappyjs ships no types; only the block-format decoder is used.
declare module 'snappyjs' {
  /** Decompresses one snappy block; throws when the declared length exceeds `maxLength`. */
  export function uncompress<T extends Uint8Array | ArrayBuffer>(compressed: T, maxLength?: number): T;
  export function compress<T extends Uint8Array | ArrayBuffer>(uncompressed: T): T;
}
