#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    // Thaw's own export keeps records exactly as they are (the core's limits aren't re-checked), so
    // the promises here are: no panic, and what was read is written and read back unchanged.
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(doc) = thaw_io::import::thaw::parse_document(text) else { return };
    let written = doc.write_json(Vec::new()).expect("writes to memory");
    let again = thaw_io::import::thaw::parse_document(std::str::from_utf8(&written).expect("UTF-8"))
        .expect("what Thaw writes, Thaw reads");
    assert_eq!(again.records, doc.records);
    assert_eq!(again.settings, doc.settings);
});
