import os
from unittest import mock

import numpy as np
import pytest

from ssl_zoo import data
from ssl_zoo.data import wordnet
from ssl_zoo.testing.test_case import TestCase

HEADER = (
    "  1 This software and database is being provided to you, the LICENSEE, by  \n"
    "  2 Princeton University under the following license.  \n"
)
# Synset lines in the wndb(5WN) layout: offset lex_filenum ss_type w_cnt words p_cnt ptrs | gloss
FILES = {
    "data.noun": HEADER
    + "00001740 03 n 01 entity 0 003 ~ 00001930 n 0000 ~ 00002137 n 0000 ~ 04431553 n 0000 | "
    "that which is perceived or known or inferred to have its own distinct existence  \n"
    + "02084071 05 n 02 dog 0 domestic_dog 0 001 @ 02083346 n 0000 | "
    'a member of the genus Canis; "the dog barked all night"  \n',
    "data.verb": HEADER
    + "00001740 29 v 04 breathe 0 take_a_breath 0 respire 0 suspire 3 000 02 + 02 00 + 08 00 | "
    'draw air into, and expel out of, the lungs; "I can breathe better"  \n',
    "data.adj": HEADER
    + "00001740 00 a 01 able 0 001 ! 00002098 a 0101 | (usually followed by `to\') having the "
    "necessary means or skill  \n"
    + "01464700 44 a 01 elapsed 0 000 | (of time) having passed or slipped by  \n",
    "data.adv": HEADER + "00001740 02 r 01 a_cappella 0 000 | without musical accompaniment  \n",
}
EXPECTED_TEXTS = [
    "that which is perceived or known or inferred to have its own distinct existence",
    'a member of the genus Canis; "the dog barked all night"',
    'draw air into, and expel out of, the lungs; "I can breathe better"',
    "(usually followed by `to') having the necessary means or skill",
    "(of time) having passed or slipped by",
    "without musical accompaniment",
]
EXPECTED_LABELS = ["noun.Tops", "noun.animal", "verb.body", "adj.all", "adj.ppl", "adv.all"]


def write_wordnet(folder, files=FILES):
    os.makedirs(folder, exist_ok=True)
    for name, content in files.items():
        with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
            f.write(content)
    return folder


class LoadWordNetGlossesTest(TestCase):
    def test_parses_glosses_and_lexicographer_labels(self):
        texts, labels, label_names = data.load_wordnet_glosses(write_wordnet(self.get_temp_dir()))
        self.assertEqual(texts, EXPECTED_TEXTS)
        self.assertEqual([label_names[i] for i in labels], EXPECTED_LABELS)
        self.assertEqual(labels.dtype, np.int32)
        self.assertEqual(len(label_names), 45)

    def test_searches_ssl_zoo_data_then_wnhome(self):
        root = self.get_temp_dir()
        write_wordnet(os.path.join(root, "wordnet"))
        with mock.patch.dict(os.environ, {"SSL_ZOO_DATA": root}):
            self.assertEqual(data.load_wordnet_glosses()[0], EXPECTED_TEXTS)
        wnhome = self.get_temp_dir()
        write_wordnet(os.path.join(wnhome, "dict"))
        with mock.patch.dict(os.environ, {"SSL_ZOO_DATA": "", "WNHOME": wnhome}):
            self.assertEqual(data.load_wordnet_glosses()[0], EXPECTED_TEXTS)

    def test_missing_data_names_the_debian_package(self):
        empty = self.get_temp_dir()
        env = {"SSL_ZOO_DATA": empty, "WNHOME": empty, "KERAS_HOME": empty}
        with mock.patch.dict(os.environ, env), mock.patch.object(wordnet, "DEBIAN_PATH", empty):
            with self.assertRaisesRegex(FileNotFoundError, "apt-get install wordnet-base.*WNHOME"):
                data.load_wordnet_glosses()
        with self.assertRaisesRegex(FileNotFoundError, "lacks data.noun, data.verb, data.adj, data.adv"):
            data.load_wordnet_glosses(empty)

    def test_malformed_lines_name_file_and_line(self):
        for bad_line in ("00001740 03 n 01 entity 0 000 no gloss bar\n", "00001740 99 n 01 x 0 000 | gloss\n"):
            folder = write_wordnet(self.get_temp_dir(), {**FILES, "data.adv": HEADER + bad_line})
            with self.assertRaisesRegex(ValueError, r"data.adv, line 3"):
                data.load_wordnet_glosses(folder)

    @pytest.mark.large
    def test_real_wordnet_base_files(self):
        texts, labels, label_names = data.load_wordnet_glosses(wordnet.DEBIAN_PATH)
        self.assertEqual(len(texts), 117_659)
        self.assertEqual(np.bincount(labels, minlength=45).min(), 42)  # noun.motive
        self.assertEqual(len(np.unique(labels)), 45)
        self.assertEqual(label_names[labels[0]], "noun.Tops")
        self.assertTrue(texts[0].startswith("that which is perceived or known"))
