// Dumps every entry of a Morfologik dictionary as "form<TAB>lemma<TAB>tag" lines (UTF-8).
// Usage: java -cp <morfologik jars>:. DumpDict path/to/polish.dict > polish.tsv
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import morfologik.stemming.*;

public class DumpDict {
    public static void main(String[] args) throws Exception {
        Dictionary dict = Dictionary.read(Paths.get(args[0]));
        DictionaryLookup lookup = new DictionaryLookup(dict);
        try (Writer w = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 20)) {
            for (WordData wd : lookup) {
                CharSequence tag = wd.getTag();
                w.append(wd.getWord()).append('\t').append(wd.getStem()).append('\t')
                 .append(tag == null ? "" : tag).append('\n');
            }
        }
    }
}
