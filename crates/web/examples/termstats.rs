use jawnik_web::format::{decode_terms, MAGIC_TERMS};
use std::collections::BTreeMap;
fn vl(x: u32) -> usize {
    if x < 128 {
        1
    } else if x < 16384 {
        2
    } else if x < 2097152 {
        3
    } else {
        4
    }
}
fn main() {
    let dir = std::path::Path::new(&std::env::args().nth(1).unwrap()).join("t");
    let mut stats: BTreeMap<String, [usize; 6]> = BTreeMap::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let comp = std::fs::read(e.unwrap().path()).unwrap();
        let raw = jawnik_web::codec::inflate(&comp).unwrap();
        let build = u64::from_le_bytes(raw[4..12].try_into().unwrap());
        let map = decode_terms(MAGIC_TERMS, build, &raw, 1 << 30).unwrap();
        for (_t, fields) in map {
            for f in fields {
                let s = stats.entry(format!("{:?}", f.field)).or_default();
                s[0] += f.docs.len();
                let mut prev = 0;
                for &d in &f.docs {
                    s[1] += vl(d - prev);
                    prev = d;
                }
                s[2] += f.tfs.iter().map(|&t| vl(t)).sum::<usize>();
                s[3] += f.norms.len();
                for p in &f.positions {
                    s[4] += vl(p.len() as u32);
                    let mut pr = 0;
                    for &x in p {
                        s[4] += vl(x - pr);
                        pr = x;
                    }
                }
                s[5] += f.sections.iter().map(|&t| vl(t)).sum::<usize>();
            }
        }
    }
    println!("field: postings, docs B, tfs B, norms B, positions B, sections B");
    for (k, v) in stats {
        println!(
            "{k:12} {:?}  (KB: {:?})",
            v,
            v.iter().map(|x| x / 1024).collect::<Vec<_>>()
        );
    }
}
