//! Dumps the blocks of every `*.html` page of a directory with their feature
//! rows, for `scripts/train_extractor.py`: the features are computed by the
//! extractor's own code, so training and inference cannot disagree.
//!
//! Writes OUT/names.txt (feature names, one a line), OUT/features.f32 (rows
//! of little-endian f32, one a block, in page and block order) and
//! OUT/blocks.jsonl (one `{"page", "blocks": [text, …]}` a page).
//!
//! Run: `cargo run --release -p chorus-bench --bin extraction-blocks -- PAGES_DIR OUT_DIR`

use std::io::{BufWriter, Write};

use chorus_ingest::formats::html::content::{self, features::NAMES};
use chorus_ingest::formats::html::{PageMeta, bound::bound_markup, decode_html, strip::strip_inert};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, out] = args.as_slice() else {
        anyhow::bail!("usage: extraction-blocks PAGES_DIR OUT_DIR");
    };
    std::fs::create_dir_all(out)?;
    std::fs::write(format!("{out}/names.txt"), NAMES.join("\n") + "\n")?;
    let mut feats = BufWriter::new(std::fs::File::create(format!("{out}/features.f32"))?);
    let mut blocks = BufWriter::new(std::fs::File::create(format!("{out}/blocks.jsonl"))?);
    let mut paths: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("html")))
        .collect();
    paths.sort();
    for path in paths {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let Ok(html) = decode_html(&std::fs::read(&path)?, None) else { continue };
        // The same steps as `extract_page`, so the rows are those it scores.
        let stripped = strip_inert(&html);
        let Ok(html) = bound_markup(&stripped) else { continue };
        let (doc, _) = content::parse(&html);
        let meta = PageMeta::read(&doc, None);
        let (texts, rows) = content::blocks_and_features(&doc, meta.title.as_deref());
        for x in rows {
            feats.write_all(&x.to_le_bytes())?;
        }
        writeln!(blocks, "{}", serde_json::json!({"page": name, "blocks": texts}))?;
    }
    feats.flush()?;
    blocks.flush()?;
    Ok(())
}
