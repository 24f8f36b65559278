#!/usr/bin/env python3
"""Writes the small dictionary fixtures of the dict tests and the seed
corpora of the dict fuzzers. Our own entries; run from the repository root:
    python3 tests/data/dict/make_fixtures.py
"""
import gzip
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, '..', '..', '..'))
CORPUS = os.path.join(ROOT, 'tests', 'fuzz', 'corpus')

ENTRIES = [
    ('cozy', 'gemütlich, behaglich\n"a cozy room"'),
    ('hold', 'halten\nabhalten (a meeting)'),
    ('leader', 'Anführer, Leiter'),
    ('relation', 'Beziehung, Verhältnis'),
    ('summit', 'Gipfel\nGipfeltreffen'),
    ('talks', 'Gespräche, Verhandlungen'),
]

B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'


def b64(n):
    s = ''
    while True:
        s = B64[n % 64] + s
        n //= 64
        if n == 0:
            return s


def write(path, data):
    with open(path, 'wb') as f:
        f.write(data)


def dictd():
    data = b''
    index = []
    for word, text in ENTRIES:
        body = f'{word} /{word}/\n{text}\n see: {{{word}s}}\n'.encode()
        index.append(f'{word}\t{b64(len(data))}\t{b64(len(body))}')
        data += body
    info = b'00-database-info\nA small English-German test dictionary.\n'
    index.insert(0, f'00-database-info\t{b64(len(data))}\t{b64(len(info))}')
    data += info
    # "held" shares the text of "hold", as dictd indexes do
    hold = [line for line in index if line.startswith('hold\t')][0]
    index.append('held\t' + hold.split('\t', 1)[1])
    idx = ('\n'.join(sorted(index)) + '\n').encode()
    write(os.path.join(HERE, 'small.index'), idx)
    write(os.path.join(HERE, 'small.dict'), data)
    write(os.path.join(HERE, 'small-dz.index'), idx)
    write(os.path.join(HERE, 'small-dz.dict.dz'), gzip.compress(data, mtime=0))
    return idx, data


def stardict():
    data = b''
    idx = b''
    for word, text in ENTRIES:
        body = text.encode()
        idx += word.encode() + b'\0' + struct.pack('>II', len(data), len(body))
        data += body
    ifo = ('StarDict\'s dict ifo file\nversion=2.4.2\nbookname=Broadsheet test\n'
           f'wordcount={len(ENTRIES)}\nidxfilesize={len(idx)}\nsametypesequence=m\n').encode()
    write(os.path.join(HERE, 'small-star.ifo'), ifo)
    write(os.path.join(HERE, 'small-star.idx'), idx)
    write(os.path.join(HERE, 'small-star.dict.dz'), gzip.compress(data, mtime=0))
    return ifo, idx, data


def seeds(idx, data, ifo, sidx, sdata):
    os.makedirs(os.path.join(CORPUS, 'fuzz_dict_dictd'), exist_ok=True)
    os.makedirs(os.path.join(CORPUS, 'fuzz_dict_stardict'), exist_ok=True)
    os.makedirs(os.path.join(CORPUS, 'fuzz_dict_tsv'), exist_ok=True)
    # dictd: flags byte (1 = the data is dictzip), u32 LE index length, index, data
    d = os.path.join(CORPUS, 'fuzz_dict_dictd')
    write(os.path.join(d, 'plain'), b'\0' + struct.pack('<I', len(idx)) + idx + data)
    write(os.path.join(d, 'dz'), b'\1' + struct.pack('<I', len(idx)) + idx +
          gzip.compress(data, mtime=0))
    write(os.path.join(d, 'past-end'), b'\0' + struct.pack('<I', 9) + b'w\tA\t////\n' + b'xyz')
    write(os.path.join(d, 'not-gzip'), b'\1' + struct.pack('<I', len(idx)) + idx + data)
    # stardict: flags (1 = .dict.dz, 2 = .idx.gz), u16 LE .ifo length, u32 LE .idx length, ifo, idx, dict
    s = os.path.join(CORPUS, 'fuzz_dict_stardict')
    write(os.path.join(s, 'plain'), b'\0' + struct.pack('<HI', len(ifo), len(sidx)) + ifo + sidx + sdata)
    write(os.path.join(s, 'dz'), b'\1' + struct.pack('<HI', len(ifo), len(sidx)) + ifo + sidx +
          gzip.compress(sdata, mtime=0))
    typed_data = b't' + b'su:mit\0' + b'm' + b'Gipfel\0' + b'h' + b'<b>Gipfel</b>treffen<br>x\0'
    typed_idx = b'summit\0' + struct.pack('>QI', 0, len(typed_data))
    typed_ifo = ('StarDict\'s dict ifo file\nversion=3.0.0\nwordcount=1\n'
                 f'idxfilesize={len(typed_idx)}\nidxoffsetbits=64\n').encode()
    write(os.path.join(s, 'typed64'), b'\0' + struct.pack('<HI', len(typed_ifo), len(typed_idx)) +
          typed_ifo + typed_idx + typed_data)
    t = os.path.join(CORPUS, 'fuzz_dict_tsv')
    with open(os.path.join(HERE, '..', '..', '..', 'web', 'dict', 'en-ko.tsv'), 'rb') as f:
        tsv = f.read()
    write(os.path.join(t, 'en-ko-head'), b'\n'.join(tsv.split(b'\n')[:40]) + b'\n')
    write(os.path.join(t, 'bom-crlf'), b'\xef\xbb\xbfsummit\tGipfel\r\nhold\thalten\\nabhalten\r\n')
    write(os.path.join(t, 'no-tab'), b'summit Gipfel\n')
    write(os.path.join(t, 'bad-utf8'), b'summit\t\xc3\x28\n')


if __name__ == '__main__':
    idx, data = dictd()
    ifo, sidx, sdata = stardict()
    seeds(idx, data, ifo, sidx, sdata)
