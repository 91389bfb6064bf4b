//! Dictionary-compressed brotli (`Content-Encoding: dcb`, RFC 9842
//! "Compression Dictionary Transport"): a lazy module compressed with the
//! main module as a shared dictionary.
//!
//! Every route downloads the main module first; its lazy modules are built
//! from the same crates (the same Leptos, serde and std code patterns), so
//! brotli with the main module as its dictionary finds much of a lazy module
//! in it. The server answers `Use-As-Dictionary` on the main module; a browser
//! that kept it asks for a lazy module with `Available-Dictionary: :<its
//! SHA-256>:`, and `benefits serve` sends the `.dcb` copy only when that hash
//! is the one written in the copy's header (crates/server/src/http/spa.rs).
//!
//! The format: the four bytes `FF 44 43 42`, the SHA-256 of the dictionary
//! (32 bytes), then a brotli stream compressed with the dictionary as a raw
//! (LZ77 prefix) dictionary.

use sha2::{Digest, Sha256};

/// The magic number that starts a `dcb` stream.
pub const MAGIC: [u8; 4] = [0xff, 0x44, 0x43, 0x42];
/// Magic and hash: what precedes the brotli stream.
pub const HEADER_LEN: usize = 4 + 32;

/// The `dcb` encoding of `data` with `dictionary` (brotli quality 11).
pub fn compress(dictionary: &[u8], data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_LEN + data.len() / 3);
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&Sha256::digest(dictionary));
    let mut params = brotli::enc::BrotliEncoderParams::default();
    params.quality = 11;
    // A 4 MB window: every distance into the dictionary (the main module,
    // under 1 MB) and the module itself is reachable.
    params.lgwin = 22;
    params.size_hint = data.len();
    let mut no_callback = |_: &mut brotli::interface::PredictionModeContextMap<brotli::InputReferenceMut>,
                           _: &mut [brotli::interface::StaticCommand],
                           _: brotli::InputPair,
                           _: &mut brotli::enc::StandardAlloc| ();
    let (mut input_buffer, mut output_buffer) = (vec![0u8; 1 << 16], vec![0u8; 1 << 16]);
    brotli::enc::BrotliCompressCustomIoCustomDict(
        &mut brotli::IoReaderWrapper(&mut &data[..]),
        &mut brotli::IoWriterWrapper(&mut out),
        &mut input_buffer,
        &mut output_buffer,
        &params,
        brotli::enc::StandardAlloc::default(),
        &mut no_callback,
        dictionary,
        std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "unexpected end of input"),
    )
    .expect("compressing into memory cannot fail");
    out
}

/// Writes `FILE.dcb` beside each file, compressed with `dictionary`, unless
/// it would be no smaller than the file's brotli copy (`FILE.br`, written
/// before by scripts/compress-dist.mjs) or the file itself. Returns a summary.
pub fn write_copies(dictionary: &std::path::Path, files: &[String]) -> Result<String, String> {
    let dict = std::fs::read(dictionary).map_err(|e| format!("{}: {e}", dictionary.display()))?;
    let (mut written, mut br_total, mut dcb_total) = (0, 0, 0);
    for file in files {
        let data = std::fs::read(file).map_err(|e| format!("{file}: {e}"))?;
        let encoded = compress(&dict, &data);
        let br = std::fs::metadata(format!("{file}.br")).map(|m| m.len() as usize).unwrap_or(data.len());
        if encoded.len() < br.min(data.len()) {
            std::fs::write(format!("{file}.dcb"), &encoded).map_err(|e| format!("{file}.dcb: {e}"))?;
            written += 1;
            br_total += br;
            dcb_total += encoded.len();
        }
    }
    Ok(format!(
        "benefits-wasm-split: {written} of {} modules also compressed with the main module as dictionary ({:.1} KB brotli -> {:.1} KB dcb)",
        files.len(),
        br_total as f64 / 1024.0,
        dcb_total as f64 / 1024.0
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decompress(dictionary: &[u8], stream: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let (mut input_buffer, mut output_buffer) = (vec![0u8; 4096], vec![0u8; 4096]);
        brotli_decompressor::BrotliDecompressCustomDict(&mut &stream[..], &mut out, &mut input_buffer, &mut output_buffer, dictionary.to_vec())
            .expect("a valid stream");
        out
    }

    /// Bytes with little inner repetition (a linear congruential sequence),
    /// so that only a dictionary can make them small.
    fn noise(len: usize, seed: u32) -> Vec<u8> {
        let mut x = seed;
        (0..len)
            .map(|_| {
                x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                (x >> 24) as u8
            })
            .collect()
    }

    #[test]
    fn the_header_names_the_dictionary_and_the_stream_needs_it() {
        let dictionary = noise(200_000, 1);
        // A module that mostly repeats pieces of the dictionary, plus some of its own.
        let mut module = dictionary[10_000..40_000].to_vec();
        module.extend(noise(2_000, 7));
        module.extend_from_slice(&dictionary[150_000..170_000]);

        let encoded = compress(&dictionary, &module);
        assert_eq!(encoded[..4], MAGIC);
        assert_eq!(encoded[4..HEADER_LEN], Sha256::digest(&dictionary)[..]);
        assert_eq!(decompress(&dictionary, &encoded[HEADER_LEN..]), module);
        // The dictionary is what makes it small: without it the same bytes do not compress.
        assert!(encoded.len() < 4_000, "dcb {} bytes", encoded.len());
        let plain = compress(&[], &module);
        assert!(plain.len() > 45_000, "brotli without the dictionary {} bytes", plain.len());
    }

    #[test]
    fn a_copy_is_written_only_when_smaller_than_the_brotli_one() {
        let dir = std::env::temp_dir().join(format!("dcb-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let dictionary = noise(50_000, 3);
        std::fs::write(dir.join("main.wasm"), &dictionary).unwrap();
        // Shares the dictionary's bytes: worth a copy.
        std::fs::write(dir.join("a.wasm"), &dictionary[1_000..30_000]).unwrap();
        std::fs::write(dir.join("a.wasm.br"), vec![0u8; 20_000]).unwrap();
        // Unrelated and already tiny as brotli: no copy.
        std::fs::write(dir.join("b.wasm"), noise(3_000, 9)).unwrap();
        std::fs::write(dir.join("b.wasm.br"), vec![0u8; 10]).unwrap();
        let files = ["a.wasm", "b.wasm"].map(|f| dir.join(f).display().to_string());
        let summary = write_copies(&dir.join("main.wasm"), &files).unwrap();
        assert!(summary.contains("1 of 2 modules"), "{summary}");
        let a = std::fs::read(dir.join("a.wasm.dcb")).unwrap();
        assert_eq!(decompress(&dictionary, &a[HEADER_LEN..]), dictionary[1_000..30_000]);
        assert!(!dir.join("b.wasm.dcb").exists());
        assert!(write_copies(&dir.join("missing.wasm"), &files).unwrap_err().contains("missing.wasm"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
