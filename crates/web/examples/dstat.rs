use jawnik_web::codec::{deflate, inflate};
use jawnik_web::format::{decode_docs, encode_docs};
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let dir = std::path::Path::new(&a[1]);
    let build = u64::from_str_radix(&a[2], 16).unwrap();
    let variants = [
        "all",
        "-headings",
        "-summary",
        "-url",
        "-title",
        "-attachments",
        "-parts",
        "-date",
    ];
    let mut tot = vec![0usize; variants.len()];
    let mut nh = 0usize;
    let mut nd = 0usize;
    for e in std::fs::read_dir(dir.join("d")).unwrap() {
        let docs = decode_docs(
            build,
            &inflate(&std::fs::read(e.unwrap().path()).unwrap()).unwrap(),
        )
        .unwrap();
        for d in &docs {
            nh += d.headings.len();
            nd += 1;
        }
        for (i, v) in variants.iter().enumerate() {
            let docs: Vec<_> = docs
                .iter()
                .cloned()
                .map(|mut d| {
                    match *v {
                        "-headings" => d.headings.clear(),
                        "-summary" => d.summary.clear(),
                        "-url" => d.url.clear(),
                        "-title" => d.title.clear(),
                        "-attachments" => d.attachments.clear(),
                        "-parts" => d.parts.clear(),
                        "-date" => d.date.clear(),
                        _ => {}
                    };
                    d
                })
                .collect();
            tot[i] += deflate(&encode_docs(build, &docs)).len();
        }
    }
    println!("docs {nd} headings {nh}");
    for (v, t) in variants.iter().zip(&tot) {
        println!("{:12} {:9} saves {:8}", v, t, tot[0] as i64 - *t as i64);
    }
}
