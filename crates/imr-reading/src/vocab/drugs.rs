//! The drug dictionary: brand and generic names, their generic name and drug class. Shared by
//! the request reader and the medication facts.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use regex::Regex;

use super::service::Service;

/// One dictionary entry.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DrugEntry {
    /// Lower case, as written in requests and records.
    pub name: &'static str,
    pub generic: &'static str,
    pub class: Service,
    /// A topical product: cream, gel, patch, or an ingredient used only in topicals.
    pub topical: bool,
    /// Sold only as a compound (several ingredients or a suspension kit).
    pub compound: bool,
    /// A systemic corticosteroid: a class of its own in a record, though no service of its own.
    pub steroid: bool,
}

const fn d(name: &'static str, generic: &'static str, class: Service) -> DrugEntry {
    DrugEntry {
        name,
        generic,
        class,
        topical: false,
        compound: false,
        steroid: false,
    }
}

const fn topical(name: &'static str, generic: &'static str) -> DrugEntry {
    DrugEntry {
        name,
        generic,
        class: Service::TopicalAnalgesic,
        topical: true,
        compound: false,
        steroid: false,
    }
}

const fn compound(name: &'static str, generic: &'static str, class: Service) -> DrugEntry {
    DrugEntry {
        name,
        generic,
        class,
        topical: false,
        compound: true,
        steroid: false,
    }
}

const fn steroid(name: &'static str, generic: &'static str) -> DrugEntry {
    DrugEntry {
        steroid: true,
        ..d(name, generic, Service::MedicationOther)
    }
}

use Service::{
    Anticonvulsant as AC, Antidepressant as AD, Antiemetic as AE, BarbiturateAnalgesic as BA,
    Benzodiazepine as BZ, H2Blocker as H2, Laxative as LX, MedicationOther as MO,
    MuscleRelaxant as MR, Nsaid as NS, Opioid as OP, ProtonPumpInhibitor as PPI, SleepAid as SL,
};

pub(crate) const DRUGS: &[DrugEntry] = &[
    // Opioids
    d("norco", "hydrocodone/acetaminophen", OP),
    d("vicodin", "hydrocodone/acetaminophen", OP),
    d("hydrocodone", "hydrocodone", OP),
    d("percocet", "oxycodone/acetaminophen", OP),
    d("oxycontin", "oxycodone", OP),
    d("oxycodone", "oxycodone", OP),
    d("ultram", "tramadol", OP),
    d("ultracet", "tramadol/acetaminophen", OP),
    d("tramadol", "tramadol", OP),
    compound("synapryn", "tramadol", OP),
    d("nucynta", "tapentadol", OP),
    d("tapentadol", "tapentadol", OP),
    d("morphine", "morphine", OP),
    d("ms contin", "morphine", OP),
    d("methadone", "methadone", OP),
    d("fentanyl", "fentanyl", OP),
    d("duragesic", "fentanyl", OP),
    d("hydromorphone", "hydromorphone", OP),
    d("dilaudid", "hydromorphone", OP),
    d("codeine", "codeine", OP),
    d("tylenol #3", "acetaminophen/codeine", OP),
    d("tylenol with codeine", "acetaminophen/codeine", OP),
    d("buprenorphine", "buprenorphine", OP),
    d("butrans", "buprenorphine", OP),
    d("suboxone", "buprenorphine/naloxone", OP),
    d("oxymorphone", "oxymorphone", OP),
    d("opana", "oxymorphone", OP),
    d("belbuca", "buprenorphine", OP),
    d("hysingla", "hydrocodone", OP),
    d("zohydro", "hydrocodone", OP),
    d("xtampza", "oxycodone", OP),
    d("roxicodone", "oxycodone", OP),
    d("conzip", "tramadol", OP),
    d("lortab", "hydrocodone/acetaminophen", OP),
    d("vicoprofen", "hydrocodone/ibuprofen", OP),
    d("tylenol #4", "acetaminophen/codeine", OP),
    d("meperidine", "meperidine", OP),
    d("demerol", "meperidine", OP),
    d("levorphanol", "levorphanol", OP),
    d("kadian", "morphine", OP),
    d("embeda", "morphine/naltrexone", OP),
    // Muscle relaxants
    d("flexeril", "cyclobenzaprine", MR),
    d("fexmid", "cyclobenzaprine", MR),
    d("cyclobenzaprine", "cyclobenzaprine", MR),
    compound("tabradol", "cyclobenzaprine", MR),
    d("norflex", "orphenadrine", MR),
    d("orphenadrine", "orphenadrine", MR),
    d("baclofen", "baclofen", MR),
    d("lorzone", "chlorzoxazone", MR),
    d("parafon forte", "chlorzoxazone", MR),
    d("chlorzoxazone", "chlorzoxazone", MR),
    d("soma", "carisoprodol", MR),
    d("carisoprodol", "carisoprodol", MR),
    d("tizanidine", "tizanidine", MR),
    d("zanaflex", "tizanidine", MR),
    d("methocarbamol", "methocarbamol", MR),
    d("robaxin", "methocarbamol", MR),
    d("metaxalone", "metaxalone", MR),
    d("skelaxin", "metaxalone", MR),
    d("amrix", "cyclobenzaprine", MR),
    d("dantrolene", "dantrolene", MR),
    // NSAIDs
    d("etodolac", "etodolac", NS),
    d("lodine", "etodolac", NS),
    d("celecoxib", "celecoxib", NS),
    d("celebrex", "celecoxib", NS),
    d("ibuprofen", "ibuprofen", NS),
    d("motrin", "ibuprofen", NS),
    d("advil", "ibuprofen", NS),
    d("meloxicam", "meloxicam", NS),
    d("mobic", "meloxicam", NS),
    d("naproxen", "naproxen", NS),
    d("naprosyn", "naproxen", NS),
    d("anaprox", "naproxen", NS),
    d("nalfon", "fenoprofen", NS),
    d("diclofenac", "diclofenac", NS),
    d("nabumetone", "nabumetone", NS),
    d("relafen", "nabumetone", NS),
    d("ketoprofen", "ketoprofen", NS),
    d("ketorolac", "ketorolac", NS),
    d("toradol", "ketorolac", NS),
    d("flurbiprofen", "flurbiprofen", NS),
    d("aspirin", "aspirin", NS),
    d("indomethacin", "indomethacin", NS),
    d("indocin", "indomethacin", NS),
    d("piroxicam", "piroxicam", NS),
    d("feldene", "piroxicam", NS),
    d("oxaprozin", "oxaprozin", NS),
    d("daypro", "oxaprozin", NS),
    d("sulindac", "sulindac", NS),
    d("diflunisal", "diflunisal", NS),
    d("salsalate", "salsalate", NS),
    d("arthrotec", "diclofenac/misoprostol", NS),
    d("duexis", "ibuprofen/famotidine", NS),
    d("vimovo", "naproxen/esomeprazole", NS),
    d("aleve", "naproxen", NS),
    d("mefenamic acid", "mefenamic acid", NS),
    // Gastric protection
    d("omeprazole", "omeprazole", PPI),
    d("prilosec", "omeprazole", PPI),
    d("pantoprazole", "pantoprazole", PPI),
    d("protonix", "pantoprazole", PPI),
    d("esomeprazole", "esomeprazole", PPI),
    d("nexium", "esomeprazole", PPI),
    d("lansoprazole", "lansoprazole", PPI),
    d("prevacid", "lansoprazole", PPI),
    d("pepcid", "famotidine", H2),
    d("famotidine", "famotidine", H2),
    d("ranitidine", "ranitidine", H2),
    d("zantac", "ranitidine", H2),
    compound("deprizine", "ranitidine", H2),
    // Antidepressants and anticonvulsants
    d("bupropion", "bupropion", AD),
    d("wellbutrin", "bupropion", AD),
    d("venlafaxine", "venlafaxine", AD),
    d("effexor", "venlafaxine", AD),
    d("duloxetine", "duloxetine", AD),
    d("cymbalta", "duloxetine", AD),
    d("amitriptyline", "amitriptyline", AD),
    d("elavil", "amitriptyline", AD),
    d("nortriptyline", "nortriptyline", AD),
    d("pamelor", "nortriptyline", AD),
    d("sertraline", "sertraline", AD),
    d("zoloft", "sertraline", AD),
    d("fluoxetine", "fluoxetine", AD),
    d("prozac", "fluoxetine", AD),
    d("citalopram", "citalopram", AD),
    d("escitalopram", "escitalopram", AD),
    d("lexapro", "escitalopram", AD),
    d("trazodone", "trazodone", AD),
    d("milnacipran", "milnacipran", AD),
    d("savella", "milnacipran", AD),
    d("desipramine", "desipramine", AD),
    d("doxepin", "doxepin", AD),
    d("imipramine", "imipramine", AD),
    d("paroxetine", "paroxetine", AD),
    d("paxil", "paroxetine", AD),
    d("mirtazapine", "mirtazapine", AD),
    d("remeron", "mirtazapine", AD),
    d("celexa", "citalopram", AD),
    d("pristiq", "desvenlafaxine", AD),
    d("desvenlafaxine", "desvenlafaxine", AD),
    d("gabapentin", "gabapentin", AC),
    d("neurontin", "gabapentin", AC),
    compound("fanatrex", "gabapentin", AC),
    d("pregabalin", "pregabalin", AC),
    d("lyrica", "pregabalin", AC),
    d("topiramate", "topiramate", AC),
    d("topamax", "topiramate", AC),
    d("carbamazepine", "carbamazepine", AC),
    d("tegretol", "carbamazepine", AC),
    d("oxcarbazepine", "oxcarbazepine", AC),
    d("trileptal", "oxcarbazepine", AC),
    d("lamotrigine", "lamotrigine", AC),
    d("lamictal", "lamotrigine", AC),
    d("gralise", "gabapentin", AC),
    d("horizant", "gabapentin enacarbil", AC),
    d("levetiracetam", "levetiracetam", AC),
    d("keppra", "levetiracetam", AC),
    d("zonisamide", "zonisamide", AC),
    // Topicals
    topical("lidocaine", "lidocaine"),
    topical("lidoderm", "lidocaine"),
    topical("lido patch", "lidocaine"),
    topical("lido patches", "lidocaine"),
    topical("anecream", "lidocaine"),
    topical("flector", "diclofenac"),
    topical("voltaren gel", "diclofenac"),
    topical("pennsaid", "diclofenac"),
    topical("lidopro", "capsaicin/lidocaine/menthol/methyl salicylate"),
    topical("biofreeze", "menthol"),
    topical("icy hot", "menthol/methyl salicylate"),
    topical("bengay", "menthol/methyl salicylate"),
    topical("aspercreme", "trolamine salicylate"),
    topical("salonpas", "methyl salicylate/menthol"),
    topical("terocin", "methyl salicylate/capsaicin/menthol/lidocaine"),
    topical("menthoderm", "methyl salicylate/menthol"),
    topical("capsaicin", "capsaicin"),
    topical("menthol", "menthol"),
    topical("camphor", "camphor"),
    topical("methyl salicylate", "methyl salicylate"),
    topical("bupivacaine", "bupivacaine"),
    steroid("dexamethasone", "dexamethasone"),
    DrugEntry {
        name: "ketophene",
        generic: "ketoprofen",
        class: Service::CompoundedTopical,
        topical: true,
        compound: true,
        steroid: false,
    },
    // Sleep aids and benzodiazepines
    d("diazepam", "diazepam", BZ),
    d("valium", "diazepam", BZ),
    d("alprazolam", "alprazolam", BZ),
    d("xanax", "alprazolam", BZ),
    d("lorazepam", "lorazepam", BZ),
    d("ativan", "lorazepam", BZ),
    d("clonazepam", "clonazepam", BZ),
    d("klonopin", "clonazepam", BZ),
    d("chlordiazepoxide", "chlordiazepoxide", BZ),
    d("librium", "chlordiazepoxide", BZ),
    d("clorazepate", "clorazepate", BZ),
    d("temazepam", "temazepam", BZ),
    d("restoril", "temazepam", BZ),
    d("zolpidem", "zolpidem", SL),
    d("ambien", "zolpidem", SL),
    d("eszopiclone", "eszopiclone", SL),
    d("lunesta", "eszopiclone", SL),
    d("zaleplon", "zaleplon", SL),
    d("suvorexant", "suvorexant", SL),
    d("belsomra", "suvorexant", SL),
    d("ramelteon", "ramelteon", SL),
    d("rozerem", "ramelteon", SL),
    d("diphenhydramine", "diphenhydramine", SL),
    compound("dicopanol", "diphenhydramine", SL),
    // Others
    d("zofran", "ondansetron", AE),
    d("ondansetron", "ondansetron", AE),
    d("promethazine", "promethazine", AE),
    d("colace", "docusate", LX),
    d("docusate", "docusate", LX),
    d("senna", "sennosides", LX),
    d("senokot", "sennosides", LX),
    d("fioricet", "butalbital/acetaminophen/caffeine", BA),
    d("butalbital", "butalbital", BA),
    d("acetaminophen", "acetaminophen", MO),
    d("tylenol", "acetaminophen", MO),
    steroid("prednisone", "prednisone"),
    steroid("prednisolone", "prednisolone"),
    steroid("medrol", "methylprednisolone"),
    steroid("methylprednisolone", "methylprednisolone"),
    steroid("methylpred", "methylprednisolone"),
    steroid("decadron", "dexamethasone"),
    // Medical foods (amino-acid formulations sold for pain or sleep).
    d("theramine", "medical food", MO),
    d("sentra", "medical food", MO),
    d("trepadone", "medical food", MO),
    d("gabadone", "medical food", MO),
    d("percura", "medical food", MO),
];

static MATCHER: LazyLock<AhoCorasick> =
    LazyLock::new(|| super::phrase_matcher(DRUGS.iter().map(|e| e.name)));

/// Drug classes named as such in a record ("has tried NSAIDs and muscle relaxants"): what the
/// patient takes or took, though no drug is named. Read in clinical records only; a request that
/// names a class is classified by its words.
const CLASS_WORDS: &[DrugEntry] = &[
    d("nsaid", "nsaid", NS),
    d("nsaids", "nsaid", NS),
    d("anti-inflammatory medication", "nsaid", NS),
    d("anti-inflammatory medications", "nsaid", NS),
    d("anti-inflammatories", "nsaid", NS),
    d("muscle relaxant", "muscle relaxant", MR),
    d("muscle relaxants", "muscle relaxant", MR),
    d("opioid", "opioid", OP),
    d("opioids", "opioid", OP),
    d("opiate", "opioid", OP),
    d("opiates", "opioid", OP),
    d("narcotic", "opioid", OP),
    d("narcotics", "opioid", OP),
    d("antidepressant", "antidepressant", AD),
    d("antidepressants", "antidepressant", AD),
    d("anticonvulsant", "anticonvulsant", AC),
    d("anticonvulsants", "anticonvulsant", AC),
    d("proton pump inhibitor", "proton pump inhibitor", PPI),
    d("proton pump inhibitors", "proton pump inhibitor", PPI),
    d("anti-inflammatory", "nsaid", NS),
    d("muscle relaxer", "muscle relaxant", MR),
    d("muscle relaxers", "muscle relaxant", MR),
    d("benzodiazepine", "benzodiazepine", BZ),
    d("benzodiazepines", "benzodiazepine", BZ),
    d("benzo", "benzodiazepine", BZ),
    d("benzos", "benzodiazepine", BZ),
    d("sleep aid", "sleep aid", SL),
    d("sleep aids", "sleep aid", SL),
    d("sleeping pill", "sleep aid", SL),
    d("sleeping pills", "sleep aid", SL),
    d("sleep medication", "sleep aid", SL),
    d("sleep medications", "sleep aid", SL),
    d("hypnotic", "sleep aid", SL),
    d("hypnotics", "sleep aid", SL),
    topical("topical cream", "topical"),
    topical("topical creams", "topical"),
    topical("topical analgesic", "topical"),
    topical("topical analgesics", "topical"),
    topical("topical compound", "topical"),
    topical("topical compounds", "topical"),
    topical("compounded creams", "topical"),
    topical("compounded topical", "topical"),
    topical("compounded topicals", "topical"),
    topical("topical medication", "topical"),
    topical("topical medications", "topical"),
    topical("compounded cream", "topical"),
    topical("topicals", "topical"),
    topical("analgesic cream", "topical"),
    topical("pain cream", "topical"),
    steroid("oral steroid", "corticosteroid"),
    steroid("oral steroids", "corticosteroid"),
    steroid("oral corticosteroid", "corticosteroid"),
    steroid("oral corticosteroids", "corticosteroid"),
    steroid("steroid taper", "corticosteroid"),
    steroid("steroid dose pack", "corticosteroid"),
    steroid("steroid dosepak", "corticosteroid"),
    steroid("steroid pack", "corticosteroid"),
];

static CLASS_MATCHER: LazyLock<AhoCorasick> =
    LazyLock::new(|| super::phrase_matcher(CLASS_WORDS.iter().map(|e| e.name)));

/// Every drug named in a clinical record, and every drug class named as such, in order. A class
/// word that negates itself ("non-opioid", "non-narcotic") names no drug the patient takes.
pub(crate) fn mentions_in_record(text: &str) -> Vec<DrugMention> {
    let bytes = text.as_bytes();
    // Sorted by start, and no two overlap: a class word inside a drug's name is found by the
    // last drug that starts before it.
    let mut found = mentions(text);
    let negated = |start: usize| {
        let before = &bytes[start.saturating_sub(4)..start];
        before.eq_ignore_ascii_case(b"non-") || before.eq_ignore_ascii_case(b"non ")
    };
    // "Opioid agreement", "opioid risk tool": the class names a document or a screen about
    // the drugs, not a drug taken.
    let names_a_document = |end: usize| {
        // A few bytes suffice for the words below; lowering the whole rest of the text for each
        // class word would grow with the square of its length.
        let after = text[end..]
            .trim_start()
            .bytes()
            .take(24)
            .map(|b| b.to_ascii_lowercase())
            .collect::<Vec<u8>>();
        [
            "agreement",
            "contract",
            "treatment agreement",
            "risk",
            "screening",
            "use disorder",
            "dependence",
            "-induced",
            "induced",
            "naive",
            "naïve",
            "-naive",
            // What is done with the drugs, not a drug taken: "opioid misuse", "opioid guidelines".
            "guideline",
            "misuse",
            "abuse",
            "diversion",
            "seeking",
            "-seeking",
            "addiction",
            "overdose",
        ]
        .iter()
        .any(|w| after.starts_with(w.as_bytes()))
    };
    let inside_a_drug = |start: usize, end: usize| {
        let k = found.partition_point(|d| d.start < end);
        k > 0 && found[k - 1].end > start
    };
    let classes: Vec<DrugMention> = CLASS_MATCHER
        .find_iter(text)
        .filter(|m| super::is_word_boundary(bytes, m.start(), m.end()))
        .filter(|m| {
            !negated(m.start()) && !inside_a_drug(m.start(), m.end()) && !names_a_document(m.end())
        })
        .map(|m| DrugMention {
            entry: &CLASS_WORDS[m.pattern().as_usize()],
            start: m.start(),
            end: m.end(),
            word: None,
        })
        .collect();
    found.extend(classes);
    found.sort_by_key(|m| m.start);
    found
}

/// Drug classes recognized by the stem that ends a generic name (the USAN/INN stems), for drugs
/// outside the dictionary: a new proton pump inhibitor ends in "-prazole" whatever its name.
/// Each entry's `name` is the stem; a mention keeps the word it was read from.
pub(crate) const STEMS: &[DrugEntry] = &[
    d("prazole", "", PPI),
    d("tidine", "", H2),
    d("profen", "", NS),
    d("coxib", "", NS),
    d("fenac", "", NS),
    d("azepam", "", BZ),
    d("azolam", "", BZ),
    d("triptyline", "", AD),
    d("oxetine", "", AD),
    d("gabalin", "", AC),
    d("codone", "", OP),
    d("morphone", "", OP),
    d("setron", "", AE),
];

/// A drug named in the text.
#[derive(Debug, Clone)]
pub(crate) struct DrugMention {
    pub entry: &'static DrugEntry,
    pub start: usize,
    pub end: usize,
    /// The word as written (lower case) when the drug was known by its stem only.
    word: Option<String>,
}

impl DrugMention {
    /// The drug's name: the dictionary's, or the word of a drug known by its stem.
    pub fn name(&self) -> &str {
        self.word.as_deref().unwrap_or(self.entry.name)
    }

    /// The generic name: the dictionary's, or the word itself (a stem names a generic).
    pub fn generic(&self) -> &str {
        self.word.as_deref().unwrap_or(self.entry.generic)
    }

    /// The drug's class as a record names it, `text` being the text the mention was found in:
    /// a drug applied to the skin ("topical diclofenac", "ketoprofen 10% cream",
    /// "flurbiprofen/lidocaine cream") is a topical (a compounded oral suspension is not),
    /// but for an opioid patch, which acts on the whole body; a systemic steroid is a
    /// corticosteroid; otherwise the dictionary's class.
    pub fn class_in_record(&self, text: &str) -> &'static str {
        static APPLIED: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(
                r"(?i)^(?:\s*\d+(?:\.\d+)?\s*%)?(?:\s*/\s*[a-z]+(?:\s*\d+(?:\.\d+)?\s*%)?){0,3}\s*(?:topical|gel|cream|patch|patches|ointment|lotion)\b",
            )
            .expect("a valid pattern")
        });
        let before = text[..self.start].trim_end().as_bytes();
        let word_before = |w: &[u8]| {
            before.len() >= w.len()
                && before[before.len() - w.len()..].eq_ignore_ascii_case(w)
                && is_word_start(before, before.len() - w.len())
        };
        // "A compounded cream of ketoprofen, gabapentin and lidocaine": an ingredient named in
        // the list after the form.
        static FORM_OF: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(
                r"(?i)\b(?:cream|gel|ointment|lotion|compound)\s+(?:of|with|containing)\s+[a-z0-9%.,/ -]{0,50}$",
            )
            .expect("a valid pattern")
        });
        let mut from = self.start.saturating_sub(70);
        while !text.is_char_boundary(from) {
            from += 1;
        }
        let topical_before = word_before(b"topical") || FORM_OF.is_match(&text[from..self.start]);
        let mut to = (self.end + 24).min(text.len());
        while !text.is_char_boundary(to) {
            to -= 1;
        }
        let applied = topical_before || APPLIED.is_match(&text[self.end..to]);
        if self.entry.topical {
            self.entry.class.as_str()
        } else if applied && self.entry.class != Service::Opioid {
            Service::TopicalAnalgesic.as_str()
        } else if self.entry.steroid {
            "corticosteroid"
        } else {
            self.entry.class.as_str()
        }
    }
}

/// True when `bytes[at..]` starts a word.
fn is_word_start(bytes: &[u8], at: usize) -> bool {
    at == 0 || !bytes[at - 1].is_ascii_alphanumeric()
}

/// Every drug named in `text`, whole words only, in order: dictionary names, then any other word
/// that ends in a drug class's stem.
pub(crate) fn mentions(text: &str) -> Vec<DrugMention> {
    let bytes = text.as_bytes();
    let mut found: Vec<DrugMention> = MATCHER
        .find_iter(text)
        .filter(|m| super::is_word_boundary(bytes, m.start(), m.end()))
        .map(|m| DrugMention {
            entry: &DRUGS[m.pattern().as_usize()],
            start: m.start(),
            end: m.end(),
            word: None,
        })
        .collect();
    let known = found.len();
    let mut start = None;
    for (i, b) in bytes.iter().chain(std::iter::once(&b' ')).enumerate() {
        match (b.is_ascii_alphabetic(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                start = None;
                // A word glued to digits ("abc123") is no drug name.
                if !super::is_word_boundary(bytes, s, i) {
                    continue;
                }
                let word = text[s..i].to_ascii_lowercase();
                let stem = STEMS
                    .iter()
                    .find(|e| word.len() >= e.name.len() + 3 && word.ends_with(e.name));
                // The dictionary's matches do not overlap and come in order: only the last one
                // starting before this word's end can reach into it.
                let k = found[..known].partition_point(|m| m.start < i);
                let overlaps = k > 0 && found[k - 1].end > s;
                if let Some(entry) = stem
                    && !overlaps
                {
                    found.push(DrugMention {
                        entry,
                        start: s,
                        end: i,
                        word: Some(word),
                    });
                }
            }
            _ => {}
        }
    }
    found.sort_by_key(|m| m.start);
    found
}

#[cfg(test)]
mod tests {
    use super::mentions_in_record;

    fn classes(text: &str) -> Vec<(String, &'static str)> {
        mentions_in_record(text)
            .iter()
            .map(|m| (m.name().to_string(), m.class_in_record(text)))
            .collect()
    }

    /// A drug applied to the skin is a topical, an opioid patch is not, a steroid is a
    /// corticosteroid, and the classes are named in plain words too.
    #[test]
    fn a_record_names_the_class_by_form_and_by_word() {
        let text = "Topical ketoprofen, ibuprofen 800 mg, naproxen 10% gel, a fentanyl patch, a \
                    prednisone taper, oral steroids, sleeping pills, benzos, a pain cream, \
                    compounded flurbiprofen/cyclobenzaprine cream, a compounded gabapentin \
                    oral suspension; a cream of ketoprofen and baclofen.";
        let found = classes(text);
        let names: Vec<(&str, &str)> = found.iter().map(|(n, c)| (n.as_str(), *c)).collect();
        assert_eq!(
            names,
            vec![
                ("ketoprofen", "topical_analgesic"),
                ("ibuprofen", "nsaid"),
                ("naproxen", "topical_analgesic"),
                ("fentanyl", "opioid"),
                ("prednisone", "corticosteroid"),
                ("oral steroids", "corticosteroid"),
                ("sleeping pills", "sleep_aid"),
                ("benzos", "benzodiazepine"),
                ("pain cream", "topical_analgesic"),
                ("flurbiprofen", "topical_analgesic"),
                ("cyclobenzaprine", "topical_analgesic"),
                ("gabapentin", "anticonvulsant"),
                ("ketoprofen", "topical_analgesic"),
                ("baclofen", "topical_analgesic"),
            ]
        );
    }

    /// What is done with a class of drugs names no drug taken.
    #[test]
    fn misuse_and_guidelines_are_no_medication() {
        assert!(classes("Opioid misuse is suspected; per opioid guidelines, a screen.").is_empty());
    }
}
