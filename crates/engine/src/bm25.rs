//! BM25 exactly as tantivy computes it: the same constants, the same idf, the same one-byte
//! field-norm coding and the same f32 arithmetic, so that a score computed here from a
//! document's term frequency and field-norm id equals tantivy's to the bit.

/// Score type (tantivy's `Score`).
pub type Score = f32;

const K1: Score = 1.2;
const B: Score = 0.75;

/// tantivy's inverse document frequency: `ln(1 + (N - n + 0.5) / (n + 0.5))`.
pub fn idf(doc_freq: u64, doc_count: u64) -> Score {
    let doc_freq = doc_freq.min(doc_count);
    let x = ((doc_count - doc_freq) as Score + 0.5) / (doc_freq as Score + 0.5);
    ln(1.0 + x)
}

/// The natural logarithm. Natively the standard library's, as tantivy computes it; the
/// `no_std` WebAssembly module takes the `libm` crate's `logf`, the very code (musl's, ported)
/// the standard library's `f32::ln` compiled to for `wasm32-unknown-unknown` (through
/// compiler-builtins), so the browser's scores keep their bits.
#[cfg(not(target_arch = "wasm32"))]
fn ln(x: Score) -> Score {
    x.ln()
}

#[cfg(target_arch = "wasm32")]
fn ln(x: Score) -> Score {
    libm::logf(x)
}

/// The weight of one term in one field, ready to score documents (tantivy's `Bm25Weight`).
#[derive(Clone, Debug)]
pub struct Bm25Weight {
    weight: Score,
    cache: [Score; 256],
}

impl Bm25Weight {
    /// A term's weight from its document frequency, the number of documents, the total
    /// number of tokens in the field, and a boost (the field's weight).
    pub fn new(doc_freq: u64, doc_count: u64, total_num_tokens: u64, boost: Score) -> Self {
        let average_fieldnorm = total_num_tokens as Score / doc_count.max(1) as Score;
        let mut weight = idf(doc_freq, doc_count) * (1.0 + K1);
        if boost != 1.0 {
            weight *= boost;
        }
        let mut cache = [0.0; 256];
        for (id, slot) in cache.iter_mut().enumerate() {
            let fieldnorm = id_to_fieldnorm(id as u8);
            *slot = K1 * (1.0 - B + B * fieldnorm as Score / average_fieldnorm);
        }
        Bm25Weight { weight, cache }
    }

    /// The score of a document with this term `term_freq` times in a field of norm id `fieldnorm_id`.
    #[inline]
    pub fn score(&self, fieldnorm_id: u8, term_freq: u32) -> Score {
        let term_freq = term_freq as Score;
        self.weight * (term_freq / (term_freq + self.cache[fieldnorm_id as usize]))
    }
}

/// Decodes a one-byte field-norm id to the (approximate) number of tokens.
pub fn id_to_fieldnorm(id: u8) -> u32 {
    FIELD_NORMS_TABLE[id as usize]
}

/// Encodes a number of tokens to tantivy's one-byte field-norm id.
pub fn fieldnorm_to_id(fieldnorm: u32) -> u8 {
    FIELD_NORMS_TABLE
        .binary_search(&fieldnorm)
        .unwrap_or_else(|idx| idx - 1) as u8
}

/// tantivy's field-norm table (`tantivy::fieldnorm::FIELD_NORMS_TABLE`).
pub const FIELD_NORMS_TABLE: [u32; 256] = [
    0,
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8,
    9,
    10,
    11,
    12,
    13,
    14,
    15,
    16,
    17,
    18,
    19,
    20,
    21,
    22,
    23,
    24,
    25,
    26,
    27,
    28,
    29,
    30,
    31,
    32,
    33,
    34,
    35,
    36,
    37,
    38,
    39,
    40,
    42,
    44,
    46,
    48,
    50,
    52,
    54,
    56,
    60,
    64,
    68,
    72,
    76,
    80,
    84,
    88,
    96,
    104,
    112,
    120,
    128,
    136,
    144,
    152,
    168,
    184,
    200,
    216,
    232,
    248,
    264,
    280,
    312,
    344,
    376,
    408,
    440,
    472,
    504,
    536,
    600,
    664,
    728,
    792,
    856,
    920,
    984,
    1_048,
    1_176,
    1_304,
    1_432,
    1_560,
    1_688,
    1_816,
    1_944,
    2_072,
    2_328,
    2_584,
    2_840,
    3_096,
    3_352,
    3_608,
    3_864,
    4_120,
    4_632,
    5_144,
    5_656,
    6_168,
    6_680,
    7_192,
    7_704,
    8_216,
    9_240,
    10_264,
    11_288,
    12_312,
    13_336,
    14_360,
    15_384,
    16_408,
    18_456,
    20_504,
    22_552,
    24_600,
    26_648,
    28_696,
    30_744,
    32_792,
    36_888,
    40_984,
    45_080,
    49_176,
    53_272,
    57_368,
    61_464,
    65_560,
    73_752,
    81_944,
    90_136,
    98_328,
    106_520,
    114_712,
    122_904,
    131_096,
    147_480,
    163_864,
    180_248,
    196_632,
    213_016,
    229_400,
    245_784,
    262_168,
    294_936,
    327_704,
    360_472,
    393_240,
    426_008,
    458_776,
    491_544,
    524_312,
    589_848,
    655_384,
    720_920,
    786_456,
    851_992,
    917_528,
    983_064,
    1_048_600,
    1_179_672,
    1_310_744,
    1_441_816,
    1_572_888,
    1_703_960,
    1_835_032,
    1_966_104,
    2_097_176,
    2_359_320,
    2_621_464,
    2_883_608,
    3_145_752,
    3_407_896,
    3_670_040,
    3_932_184,
    4_194_328,
    4_718_616,
    5_242_904,
    5_767_192,
    6_291_480,
    6_815_768,
    7_340_056,
    7_864_344,
    8_388_632,
    9_437_208,
    10_485_784,
    11_534_360,
    12_582_936,
    13_631_512,
    14_680_088,
    15_728_664,
    16_777_240,
    18_874_392,
    20_971_544,
    23_068_696,
    25_165_848,
    27_263_000,
    29_360_152,
    31_457_304,
    33_554_456,
    37_748_760,
    41_943_064,
    46_137_368,
    50_331_672,
    54_525_976,
    58_720_280,
    62_914_584,
    67_108_888,
    75_497_496,
    83_886_104,
    92_274_712,
    100_663_320,
    109_051_928,
    117_440_536,
    125_829_144,
    134_217_752,
    150_994_968,
    167_772_184,
    184_549_400,
    201_326_616,
    218_103_832,
    234_881_048,
    251_658_264,
    268_435_480,
    301_989_912,
    335_544_344,
    369_098_776,
    402_653_208,
    436_207_640,
    469_762_072,
    503_316_504,
    536_870_936,
    603_979_800,
    671_088_664,
    738_197_528,
    805_306_392,
    872_415_256,
    939_524_120,
    1_006_632_984,
    1_073_741_848,
    1_207_959_576,
    1_342_177_304,
    1_476_395_032,
    1_610_612_760,
    1_744_830_488,
    1_879_048_216,
    2_013_265_944,
];
