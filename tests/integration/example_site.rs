//! Builds the example site at the repository root (`jawnik.toml` + `content/`) and runs the
//! link checker over it, at the root and under a sub-path.

use crate::common;

use common::*;

#[test]
fn example_site_builds_and_its_links_resolve() {
    let root = manifest_dir();
    assert!(
        root.join("jawnik.toml").is_file(),
        "the example site is missing"
    );
    for (name, base_url, base_path) in [
        ("example", None, None),
        (
            "example-sub",
            Some("https://example.org/ngo/"),
            Some("/ngo/"),
        ),
    ] {
        let out = temp_dir(name).join("public");
        let report = build(&root, &out, base_url).unwrap_or_else(|e| panic!("example site:\n{e}"));
        assert!(report.documents > 0);
        let base_path = match base_path {
            Some(b) => b.to_string(),
            None => jawnik::config::Config::load(&root, None)
                .unwrap()
                .base_path(),
        };
        let (problems, checked) = check_links(&out, &base_path);
        assert!(
            problems.is_empty(),
            "broken links in the example site:\n{}",
            problems.join("\n")
        );
        assert!(checked > 50);
        for feed in ["atom.xml", "sitemap.xml"] {
            roxmltree::Document::parse(&read(&out, feed)).unwrap_or_else(|e| panic!("{feed}: {e}"));
        }
    }
}
