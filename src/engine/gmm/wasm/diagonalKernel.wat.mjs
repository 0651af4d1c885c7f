// The WebAssembly text of the diagonal-covariance E-step kernel (wasmDiagonalKernel.ts), made
// at build time: scripts/build.mjs compiles it with wabt when a source imports
// './wasm/diagonalKernel.wasm'. Only numbers chosen here (D, offsets) go into the text.
//
// One exported function per padded width: `rows` (any even width, a loop over column pairs)
// and `rows2` ... `rows16` (the pairs unrolled, the row's values held in v128 locals).
// Each processes n rows of a block in linear memory, exactly as completeRowsDiagonal
// (completeRowKernels.ts) does, with the same operations in the same order, two columns at a
// time in f64x2 lanes:
//   maha_k = (sum of z_j^2 over even j) + (sum over odd j), z_j = (x_j - mu_kj) / sd_kj
//   l_k    = logNorm_k - 0.5 maha_k;  max = max_k l_k
//   e_k    = l_k - max < NEGLIGIBLE_LOG ? 0 : exp(l_k - max)     (fastExp.ts, inlined)
//   out[2i] = max, out[2i+1] = total = sum_k e_k   (the caller adds w_i (max + log total))
//   r_k = e_k * (w_i / total); when r_k != 0: nk_k += r_k, s1_k += r_k d, s2_k += (r_k d) d
// Rows are padded with zeros to an even width, so a padded lane adds exactly +0 everywhere.
// The constants below must equal fastExp.ts's (the unit test compares the kernels bit for bit).

const NEGLIGIBLE_LOG = String(-53 * Math.LN2);
const EXP_INV_STEP = '92.33248261689366';
const EXP_STEP_HI = '0.010830424726009369';
const EXP_STEP_LO = '-2.9760223436840126e-11';
const ROUND_SHIFT = '6755399441055744';
const POLY = ['1', '1', '0.5', '0.16666666666666666', '0.041666666666666664', '0.008333333333333333', '0.001388888888888889'];

/** exp($gap) for $gap in [NEGLIGIBLE_LOG, 0], as fastExp.ts's expOfGap (uses locals $nf $ni $rr). */
function expOfGap() {
  let poly = `(f64.const ${POLY[POLY.length - 1]})`;
  for (let i = POLY.length - 2; i >= 0; i--) poly = `(f64.add (f64.const ${POLY[i]}) (f64.mul (local.get $rr) ${poly}))`;
  return `(block (result f64)
          (local.set $nf (f64.sub (f64.add (f64.mul (local.get $gap) (f64.const ${EXP_INV_STEP})) (f64.const ${ROUND_SHIFT})) (f64.const ${ROUND_SHIFT})))
          (local.set $ni (i32.trunc_sat_f64_s (local.get $nf)))
          (local.set $rr (f64.sub (f64.sub (local.get $gap) (f64.mul (local.get $nf) (f64.const ${EXP_STEP_HI}))) (f64.mul (local.get $nf) (f64.const ${EXP_STEP_LO}))))
          (f64.mul
            (f64.mul
              (f64.load (i32.add (local.get $fractions) (i32.shl (i32.and (local.get $ni) (i32.const 63)) (i32.const 3))))
              (f64.load (i32.add (local.get $scales) (i32.shl (i32.sub (i32.const 0) (i32.shr_s (local.get $ni) (i32.const 6))) (i32.const 3)))))
            ${poly}))`;
}

/** The distance part for one component: unrolled over `pairs` column pairs, or a loop. */
function distance(pairs) {
  if (pairs > 0) {
    const lines = [];
    for (let q = 0; q < pairs; q++) {
      lines.push(`(local.set $d (f64x2.sub (local.get $x${q}) (v128.load offset=${16 * q} (i32.add (local.get $means) (local.get $cm)))))
        (local.set $z (f64x2.mul (local.get $d) (v128.load offset=${16 * q} (i32.add (local.get $factors) (local.get $cm)))))
        (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $z) (local.get $z))))`);
    }
    return lines.join('\n');
  }
  return `(local.set $o (i32.const 0))
        (block $jDone (loop $jLoop
          (br_if $jDone (i32.ge_u (local.get $o) (local.get $rowBytes)))
          (local.set $d (f64x2.sub (v128.load (i32.add (local.get $row) (local.get $o))) (v128.load (i32.add (i32.add (local.get $means) (local.get $cm)) (local.get $o)))))
          (v128.store (i32.add (i32.add (local.get $diff) (local.get $cm)) (local.get $o)) (local.get $d))
          (local.set $z (f64x2.mul (local.get $d) (v128.load (i32.add (i32.add (local.get $factors) (local.get $cm)) (local.get $o)))))
          (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $z) (local.get $z))))
          (local.set $o (i32.add (local.get $o) (i32.const 16)))
          (br $jLoop)))`;
}

/** The statistics part for one component with r != 0: unrolled or a loop. */
function accumulate(pairs) {
  const body = (o, at) => `(local.set $d (v128.load${o} (${at('$diff')})))
          (local.set $z (f64x2.mul (local.get $rv) (local.get $d)))
          (v128.store${o} (${at('$s1')}) (f64x2.add (v128.load${o} (${at('$s1')})) (local.get $z)))
          (v128.store${o} (${at('$s2')}) (f64x2.add (v128.load${o} (${at('$s2')})) (f64x2.mul (local.get $z) (local.get $d))))`;
  if (pairs > 0) {
    // the row is still in $x0..: x - mu again (the same subtraction, so the same d) rather than
    // a stored copy: no store per component and row (6% faster at D = 8, K = 8)
    const lines = [];
    for (let q = 0; q < pairs; q++) {
      const o = ` offset=${16 * q}`;
      const at = (base) => `i32.add (local.get ${base}) (local.get $cm)`;
      lines.push(body(o, at).replace(`(local.set $d (v128.load${o} (${at('$diff')})))`, `(local.set $d (f64x2.sub (local.get $x${q}) (v128.load${o} (${at('$means')}))))`));
    }
    return lines.join('\n');
  }
  return `(local.set $o (i32.const 0))
          (block $aDone (loop $aLoop
            (br_if $aDone (i32.ge_u (local.get $o) (local.get $rowBytes)))
            ${body('', (base) => `i32.add (i32.add (local.get ${base}) (local.get $cm)) (local.get $o)`)}
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (br $aLoop)))`;
}

/**
 * rows(n, k, width, weighted, x, w, means, factors, logNorm, nk, s1, s2, lp, diff, out, fractions, scales)
 * (byte offsets; width = padded D, even; every K x width block row-major with that width).
 */
function rowsFunction(name, width) {
  const pairs = width / 2; // 0: any width, looped
  const rowValues = [];
  const loadRow = [];
  for (let q = 0; q < pairs; q++) {
    rowValues.push(`(local $x${q} v128)`);
    loadRow.push(`(local.set $x${q} (v128.load offset=${16 * q} (local.get $row)))`);
  }
  const at = (base, i, shift) => `(i32.add (local.get ${base}) (i32.shl (local.get ${i}) (i32.const ${shift})))`;
  return `(func (export "${name}")
    (param $n i32) (param $k i32) (param $width i32) (param $weighted i32)
    (param $x i32) (param $w i32) (param $means i32) (param $factors i32) (param $logNorm i32)
    (param $nk i32) (param $s1 i32) (param $s2 i32) (param $lp i32) (param $diff i32) (param $out i32)
    (param $fractions i32) (param $scales i32)
    (local $i i32) (local $c i32) (local $o i32) (local $rowBytes i32) (local $row i32) (local $cm i32) (local $ni i32)
    (local $acc v128) (local $d v128) (local $z v128) (local $rv v128) ${rowValues.join(' ')}
    (local $max f64) (local $v f64) (local $total f64) (local $e f64) (local $gap f64) (local $scale f64) (local $r f64)
    (local $nf f64) (local $rr f64)
    (local.set $rowBytes (i32.shl (local.get $width) (i32.const 3)))
    (local.set $i (i32.const 0))
    (block $rowsDone (loop $rowLoop
      (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $row (i32.add (local.get $x) (i32.mul (local.get $i) (local.get $rowBytes))))
      (local.set $max (f64.const -inf))
      ${loadRow.join('\n      ')}
      ;; log-densities of the components
      (local.set $c (i32.const 0))
      (block $cDone (loop $cLoop
        (br_if $cDone (i32.ge_u (local.get $c) (local.get $k)))
        (local.set $cm (i32.mul (local.get $c) (local.get $rowBytes)))
        (local.set $acc (v128.const f64x2 0 0))
        ${distance(pairs)}
        (local.set $v (f64.sub (f64.load ${at('$logNorm', '$c', 3)})
          (f64.mul (f64.const 0.5) (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc))))))
        (f64.store ${at('$lp', '$c', 3)} (local.get $v))
        (if (f64.gt (local.get $v) (local.get $max)) (then (local.set $max (local.get $v))))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $cLoop)))
      ;; responsibilities before scaling, and their total
      (local.set $total (f64.const 0))
      (local.set $c (i32.const 0))
      (block $nDone (loop $nLoop
        (br_if $nDone (i32.ge_u (local.get $c) (local.get $k)))
        (local.set $gap (f64.sub (f64.load ${at('$lp', '$c', 3)}) (local.get $max)))
        (local.set $e (if (result f64) (f64.lt (local.get $gap) (f64.const ${NEGLIGIBLE_LOG})) (then (f64.const 0)) (else ${expOfGap()})))
        (f64.store ${at('$lp', '$c', 3)} (local.get $e))
        (local.set $total (f64.add (local.get $total) (local.get $e)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $nLoop)))
      (f64.store ${at('$out', '$i', 4)} (local.get $max))
      (f64.store offset=8 ${at('$out', '$i', 4)} (local.get $total))
      (local.set $scale (f64.div
        (if (result f64) (local.get $weighted) (then (f64.load ${at('$w', '$i', 3)})) (else (f64.const 1)))
        (local.get $total)))
      ;; sufficient statistics
      (local.set $c (i32.const 0))
      (block $sDone (loop $sLoop
        (br_if $sDone (i32.ge_u (local.get $c) (local.get $k)))
        (local.set $r (f64.mul (f64.load ${at('$lp', '$c', 3)}) (local.get $scale)))
        (if (f64.ne (local.get $r) (f64.const 0)) (then
          (f64.store ${at('$nk', '$c', 3)} (f64.add (f64.load ${at('$nk', '$c', 3)}) (local.get $r)))
          (local.set $cm (i32.mul (local.get $c) (local.get $rowBytes)))
          (local.set $rv (f64x2.splat (local.get $r)))
          ${accumulate(pairs)}))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $sLoop)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rowLoop))))`;
}

/** Widest padded D with an unrolled function. */
const UNROLLED_WIDTH_LIMIT = 16;

/** The module's text: memory (exported, grown by the caller), `rows`, `rows2` ... `rows16`. */
export function diagonalKernelWat() {
  const functions = [rowsFunction('rows', 0)];
  for (let width = 2; width <= UNROLLED_WIDTH_LIMIT; width += 2) functions.push(rowsFunction(`rows${width}`, width));
  return `(module\n(memory (export "memory") 1)\n${functions.join('\n')}\n)`;
}
