"""The RNN zoo (appendix A, rnncourse.zoo): every family's code, its errors on bad
input, its gradients, and the claims the appendix makes about its demonstrations."""

import numpy as np
import pytest
import torch

from rnncourse.np import elman, numerical_gradient, rel_error
from rnncourse.train import train
from rnncourse.zoo import cascaded, ctrnn, jordan, languages, rmlp, second_order
from rnncourse.zoo import fully_recurrent as fr
from rnncourse.zoo import history_compressor as hc

torch.set_num_threads(1)


# --- continuous-time RNNs -------------------------------------------------------------

def test_euler_step_is_y_plus_dt_times_the_derivative_and_dt_tau_is_a_discrete_rnn():
    rng = np.random.default_rng(0)
    W, theta, tau, I = rng.normal(size=(3, 3)), rng.normal(size=3), np.ones(3), 0.3
    y = rng.normal(size=(5, 3))
    derivative = (-y + ctrnn.sigmoid(y + theta) @ W.T + I) / tau
    assert np.allclose(ctrnn.ctrnn_derivative(y, W, theta, tau, I), derivative)
    assert np.allclose(ctrnn.euler_step(y, W, theta, tau, 0.1, I), y + 0.1 * derivative)
    # Δt = τ: y_{k+1} = W σ(y_k + θ) + I
    assert np.allclose(ctrnn.euler_step(y, W, theta, tau, 1.0, I),
                       ctrnn.sigmoid(y + theta) @ W.T + I)


def test_simulate_returns_the_path_and_integrates_stacks_of_networks():
    W, theta, tau = ctrnn.beer_oscillator(4.5)
    y0 = np.array([[1.0, -1.0], [0.5, 2.0]])
    path = ctrnn.simulate(y0, W, theta, tau, 0.05, 10)
    assert path.shape == (11, 2, 2) and np.array_equal(path[0], y0)
    stacked = ctrnn.simulate(np.stack([y0, y0]), np.stack([W, W]),
                             np.stack([theta, theta])[:, None], tau, 0.05, 10)
    assert np.allclose(stacked[:, 0], path) and np.allclose(stacked[:, 1], path)


@pytest.mark.parametrize("bad, message", [
    (dict(W=np.ones((2, 3))), "square"),
    (dict(theta=np.ones(3)), "theta"),
    (dict(tau=np.array([1.0, 0.0])), "positive"),
    (dict(y0=np.ones(3)), "y0"),
    (dict(dt=0.0), "dt"),
    (dict(n_steps=-1), "n_steps"),
])
def test_ctrnn_rejects_bad_input_with_a_clear_message(bad, message):
    W, theta, tau = ctrnn.beer_oscillator()
    args = dict(y0=np.zeros(2), W=W, theta=theta, tau=tau, dt=0.1, n_steps=3) | bad
    with pytest.raises(ValueError, match=message):
        ctrnn.simulate(**args)


def test_the_two_neuron_oscillator_has_one_limit_cycle_that_every_start_reaches():
    W, theta, tau = ctrnn.beer_oscillator(4.5)
    starts = np.random.default_rng(3).uniform(-6, 6, size=(5, 2))
    dt = 0.05
    path = ctrnn.simulate(starts, W, theta, tau, dt, 4000)
    periods, orbits = zip(*(ctrnn.limit_cycle(path[2000:, b], dt) for b in range(5)))
    assert np.ptp(periods) < 0.1 and 28 < np.median(periods) < 30
    # every trajectory ends on the orbit of the first, which is a real oscillation
    assert ctrnn.orbit_distance(path[-1], orbits[0]).max() < 0.05
    assert ctrnn.oscillation_amplitude(orbits[0]).min() > 2


def test_below_the_hopf_point_the_centre_attracts_and_the_linearisation_is_right():
    W, theta, tau = ctrnn.beer_oscillator(3.5)
    path = ctrnn.simulate(np.array([2.0, -3.0]), W, theta, tau, 0.1, 3000)
    assert np.abs(path[-1] + theta).max() < 1e-6           # y* = −θ
    assert np.isnan(ctrnn.limit_cycle(path[-1000:], 0.1)[0])
    # the Jacobian at the centre, by central differences, is (−I + W/4)/τ
    J = np.stack([(ctrnn.ctrnn_derivative(-theta + e, W, theta, tau)
                   - ctrnn.ctrnn_derivative(-theta - e, W, theta, tau)) / 2e-6
                  for e in 1e-6 * np.eye(2)], axis=1)
    assert np.allclose(J, (-np.eye(2) + W / 4) / tau, atol=1e-6)


# --- fully recurrent networks and RTRL ------------------------------------------------

def test_rtrl_bptt_and_central_differences_agree():
    rng = np.random.default_rng(0)
    p = fr.init_params(5, 2, rng)
    x = rng.normal(size=(12, 2))
    y, mask = rng.uniform(size=(12, 2)), (rng.uniform(size=(12, 2)) > 0.3) * 1.0
    by_rtrl, by_bptt = fr.rtrl_gradient(p, x, y, mask), fr.bptt_gradient(p, x, y, mask)
    for name in p:
        numeric = numerical_gradient(lambda: np.array(fr.sequence_loss(p, x, y, mask)),
                                     p[name], np.array(1.0))
        assert rel_error(by_rtrl[name], by_bptt[name]) < 1e-12
        assert rel_error(by_rtrl[name], numeric) < 1e-6


def test_train_rtrl_on_a_list_is_the_same_as_one_network_at_a_time():
    x, y, mask = fr.delayed_recall(300, 2, np.random.default_rng(1))
    nets = [fr.init_params(3, 1, np.random.default_rng(s)) for s in range(3)]
    together, errors = fr.train_rtrl(nets, x, y, 2.0, mask)
    for k, net in enumerate(nets):
        alone, alone_errors = fr.train_rtrl(net, x, y, 2.0, mask)
        assert np.allclose(alone_errors, errors[:, k])
        assert all(np.allclose(alone[name], together[k][name]) for name in alone)


def test_delayed_recall_targets_the_bit_delay_steps_back():
    x, y, mask = fr.delayed_recall(20, 3, np.random.default_rng(2))
    assert np.array_equal(y[3:], x[:-3]) and mask[:3].sum() == 0 and mask[3:].all()
    with pytest.raises(ValueError, match="delay"):
        fr.delayed_recall(3, 3, np.random.default_rng(0))


def test_fully_recurrent_rejects_bad_input():
    p = fr.init_params(4, 1, np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"W_ih must have shape \(N, D\)"):
        fr.check_params(p | {"W_ih": np.ones((3, 1))})
    with pytest.raises(ValueError, match=r"x must have shape \(T, D\)"):
        fr.forward(p, np.ones((5, 2)))
    with pytest.raises(ValueError, match="K <= N"):
        fr.bptt_gradient(p, np.ones((5, 1)), np.ones((5, 6)))
    with pytest.raises(ValueError, match="learning_rate"):
        fr.train_rtrl(p, np.ones((5, 1)), np.ones((5, 1)), 0.0)


def test_rtrl_learns_the_three_step_delay_online_as_the_appendix_says():
    # the appendix's setting; measured: 10 of 10 networks reach >= 99 % (accuracy 1.0)
    stream = fr.delayed_recall(4000, 3, np.random.default_rng(1))
    nets = [fr.init_params(4, 1, np.random.default_rng(s)) for s in range(10)]
    trained, _ = fr.train_rtrl(nets, *stream[:2], 3.0, stream[2])
    test = fr.delayed_recall(2000, 3, np.random.default_rng(2))
    assert sum(fr.accuracy(p, *test) >= 0.99 for p in trained) >= 8


# --- Jordan's network -----------------------------------------------------------------

def test_torch_jordan_network_equals_chapter_3s_numpy_network_and_its_teacher():
    rng = np.random.default_rng(0)
    params = [elman.init_jordan(2, 4, 3, np.random.default_rng(s), 1.0) for s in (1, 2)]
    x = rng.uniform(size=(7, 5, 2))
    teacher = rng.uniform(size=(7, 5, 3))
    net = jordan.JordanNetwork(2, 4, 3, decay=0.6, n_networks=2).double()
    for m, p in enumerate(params):
        net.load_numpy(p, network=m)
    with torch.no_grad():
        out, states = net(torch.from_numpy(x))
        forced, _ = net(torch.from_numpy(x), teacher=torch.from_numpy(teacher))
    for m, p in enumerate(params):
        s, _, y = elman.jordan_forward(x, p, decay=0.6)
        _, _, y_forced = elman.jordan_forward(x, p, decay=0.6, teacher=teacher)
        assert np.allclose(out[:, m].numpy(), y)
        assert np.allclose(states[:, m].numpy(), s)
        assert np.allclose(forced[:, m].numpy(), y_forced)


def test_masked_mse_ignores_dont_cares_and_keeps_networks_separate():
    out = torch.rand(4, 2, 3, 2, requires_grad=True)        # (T, M, B, K)
    target, mask = torch.rand(4, 3, 2), torch.ones(4, 3, 2)
    mask[1, 0, 1] = 0
    jordan.masked_mse(out, target, mask).backward()
    assert (out.grad[1, :, 0, 1] == 0).all() and (out.grad[0] != 0).all()
    with pytest.raises(ValueError, match="must agree"):
        jordan.masked_mse(out, target, mask[:, :2])


def test_distance_to_cycle_does_not_care_where_the_cycle_is_entered():
    cycle = np.eye(3)[[0, 1, 2, 1]]
    outputs = np.tile(np.roll(cycle, 1, axis=0), (3, 1))
    assert np.allclose(jordan.distance_to_cycle(outputs, cycle), 0)
    assert jordan.distance_to_cycle(outputs + 0.1, cycle).min() > 0.09


def test_dont_care_targets_and_the_anticipation_measure():
    y, mask = jordan.dont_care_targets(6, 4, np.random.default_rng(0))
    assert (mask[0] == 0).all() and (mask[-1] == 1).all()
    # an output that copies the next specified value anticipates, one that copies the
    # previous one does not
    y = np.array([[0, 0], [0, 1], [1, 1], [1, 0]], dtype=float)[:, None]   # (T, B, K)
    mask = np.array([[0, 0], [1, 1], [0, 1], [1, 1]], dtype=float)[:, None]
    ahead = y.copy()
    ahead[0], ahead[2, 0, 0] = y[1], y[3, 0, 0]
    behind = y.copy()
    behind[0], behind[2, 0, 0] = 1 - y[1], y[1, 0, 0]
    a, b = (jordan.anticipation(o, y, mask) for o in (ahead, behind))
    assert a["leading_side"] == 1 and a["interior_next"] == 1 and a["n_leading"] == 2
    assert a["leading_next"] == 1 and a["n_leading_next"] == 1 and a["n_interior"] == 1
    assert b["leading_side"] == 0 and b["interior_next"] == 0
    with pytest.raises(ValueError, match="leading_max"):
        jordan.dont_care_targets(3, 2, np.random.default_rng(0), leading_max=2)


def test_a_trained_jordan_cycle_is_an_attractor():
    # the appendix's setting; measured: 10 of 10 networks learn the cycle (RMS < 0.1)
    # and all 160 perturbed runs return to within 1e-3 of their network's own cycle
    cycle = np.eye(3)[[0, 1, 2, 1]]
    target = torch.tensor(np.tile(cycle, (2, 1)), dtype=torch.float32)[:, None]
    torch.manual_seed(0)
    net = jordan.JordanNetwork(1, 6, 3, decay=0.5, init_scale=1.0, n_networks=10)
    train(net, lambda n, _: jordan.masked_mse(n(torch.ones(8, 1, 1))[0], target,
                                              torch.ones_like(target)),
          [None], steps=200, lr=0.1, seed=0, progress=False)
    with torch.no_grad():
        own, _ = net(torch.ones(80, 1, 1))
        s0 = 2 * torch.rand(10, 16, 3, generator=torch.Generator().manual_seed(1))
        runs, _ = net(torch.ones(80, 16, 1), s0=s0)
    learned = [jordan.distance_to_cycle(own[:, m, 0], cycle)[-1] < 0.1
               for m in range(10)]
    assert sum(learned) >= 9
    for m in range(10):
        for b in range(16):
            d = jordan.distance_to_cycle(runs[:, m, b], own[-4:, m, 0])
            assert d[-1] < 1e-3 < d[0]


def test_jordan_network_rejects_bad_input():
    with pytest.raises(ValueError, match="decay"):
        jordan.JordanNetwork(2, 3, 2, decay=1.0)
    net = jordan.JordanNetwork(2, 3, 2)
    with pytest.raises(ValueError, match=r"x must have shape \(T, B, D\) with D = 2"):
        net(torch.zeros(4, 1, 3))
    with pytest.raises(ValueError, match="s0"):
        net(torch.zeros(4, 1, 2), s0=torch.zeros(1, 3))


# --- regular languages and automata ---------------------------------------------------

def test_tomita_and_parity_automata_have_their_known_minimal_sizes():
    sizes = {1: 2, 2: 3, 4: 4, 5: 4, 6: 3, 7: 5}
    strings = languages.all_strings(12)
    for number, size in sizes.items():
        dfa = languages.dfa_of(languages.tomita(number))
        assert dfa.n_states == size
        assert languages.agreement(dfa.accepts, languages.tomita(number), strings) == 1
    assert languages.dfa_of(languages.odd_parity).n_states == 2
    with pytest.raises(ValueError, match="Tomita grammar must be one of"):
        languages.tomita(3)


def test_minimising_and_equivalence_of_automata():
    # parity with two redundant copies of each state
    redundant = languages.DFA({0: {"0": 2, "1": 1}, 1: {"0": 3, "1": 0},
                               2: {"0": 0, "1": 3}, 3: {"0": 1, "1": 2}}, {1, 3}, 0)
    parity = languages.dfa_of(languages.odd_parity)
    assert redundant.minimised().n_states == 2
    assert languages.equivalent(redundant, parity)
    assert not languages.equivalent(parity, languages.dfa_of(languages.tomita(4)))


def test_balanced_strings_are_half_accepted_distinct_and_of_the_asked_lengths():
    lang = languages.tomita(4)
    strings = languages.balanced_strings(lang, 60, 20, 30, np.random.default_rng(0))
    assert len(set(strings)) == 60 and sum(map(lang, strings)) == 30
    assert all(20 <= len(s) <= 30 for s in strings)


def test_string_tensors_are_one_hot_and_masked():
    x, mask, labels = languages.string_tensors(["01", "", "110"], languages.odd_parity)
    assert x.shape == (3, 3, 2) and mask.tolist() == [[1, 0, 1], [1, 0, 1], [0, 0, 1]]
    assert x[:, 0].tolist() == [[1, 0], [0, 1], [0, 0]] and labels.tolist() == [1, 0, 0]
    with pytest.raises(ValueError, match="'0' and '1'"):
        languages.string_tensors(["012"])


# --- second-order networks ------------------------------------------------------------

def test_second_order_step_is_the_bilinear_form_and_padding_keeps_the_state():
    torch.manual_seed(0)
    net = second_order.SecondOrderRNN(3).double()
    h = torch.rand(4, 3, dtype=torch.float64)
    x = torch.eye(2, dtype=torch.float64)[[0, 1, 1, 0]]
    by_hand = torch.sigmoid(torch.stack([
        sum(net.W[:, j, k] * h[b, j] * x[b, k] for j in range(3) for k in range(2))
        for b in range(4)]) + net.b)
    assert torch.allclose(net.step(h, x), by_hand)
    xs, mask = languages.string_tensors(["0110", "01"])
    _, last = net.float()(xs, mask)
    _, short = net(*languages.string_tensors(["01"]))
    assert torch.allclose(last[1], short[0])


def test_second_order_gradients_match_finite_differences():
    torch.manual_seed(1)
    net = second_order.SecondOrderRNN(3).double()
    x, mask, labels = languages.string_tensors(["0110", "1", "000"],
                                               languages.tomita(4))
    x, mask, labels = x.double(), mask.double(), labels.double()

    def loss(W, b):
        return second_order.acceptance_loss(_Bound(net, {"W": W, "b": b}), x, mask,
                                            labels)

    start = [p.detach().clone().requires_grad_() for p in (net.W, net.b)]
    assert torch.autograd.gradcheck(loss, start)


class _Bound(torch.nn.Module):
    """A module with its parameters replaced by the given tensors (for gradcheck)."""

    def __init__(self, module, parameters):
        super().__init__()
        self.module, self.parameters_ = module, parameters

    def forward(self, *args):
        return torch.func.functional_call(self.module, self.parameters_, args)


def test_a_trained_second_order_network_yields_the_minimal_tomita_4_automaton():
    # the appendix's setting, seed 0 (measured: test accuracy 1.0, q = 2, 4 states)
    lang = languages.tomita(4)
    x, mask, y = languages.string_tensors(languages.all_strings(7), lang)
    torch.manual_seed(0)
    net = second_order.SecondOrderRNN(4)
    train(net, lambda m, _: second_order.acceptance_loss(m, x, mask, y), [None],
          steps=150, lr=0.1, seed=0, progress=False)
    test = languages.balanced_strings(lang, 200, 15, 40, np.random.default_rng(0))
    assert languages.agreement(net.accepts, lang, test) >= 0.99
    dfa, cells = second_order.extract_automaton(net, 2)
    assert languages.equivalent(dfa, languages.dfa_of(lang)) and dfa.n_states == 4
    assert languages.agreement(dfa.accepts, lang, test) == 1.0


def test_second_order_rejects_bad_input():
    net = second_order.SecondOrderRNN(3)
    with pytest.raises(ValueError, match=r"x must have shape \(T, B, K\) with K = 2"):
        net(torch.zeros(3, 2, 3))
    with pytest.raises(ValueError, match="mask"):
        net(torch.zeros(3, 2, 2), torch.ones(3, 3))
    with pytest.raises(ValueError, match="q must be"):
        second_order.quantise(np.zeros(3), 0)


# --- Pollack's cascaded network -------------------------------------------------------

def test_the_cascaded_network_is_a_second_order_network_over_augmented_vectors():
    torch.manual_seed(0)
    net = cascaded.CascadedNetwork(3, 2).double()
    z, x = torch.rand(5, 3, dtype=torch.float64), torch.rand(5, 2, dtype=torch.float64)
    z1 = torch.cat([z, torch.ones(5, 1, dtype=torch.float64)], 1)
    x1 = torch.cat([x, torch.ones(5, 1, dtype=torch.float64)], 1)
    bilinear = torch.sigmoid(torch.einsum("ikj,bj,bk->bi", net.V, z1, x1))
    assert torch.allclose(net.step(z, x), bilinear)
    assert net.function_weights(z).shape == (5, 3, 3) and net.n_weights == 36


def test_cascaded_gradients_match_finite_differences():
    torch.manual_seed(2)
    net = cascaded.CascadedNetwork(2).double()
    x, mask, labels = languages.string_tensors(["011", "1", "10"], languages.odd_parity)
    x, mask, labels = x.double(), mask.double(), labels.double()
    assert torch.autograd.gradcheck(
        lambda V: second_order.acceptance_loss(_Bound(net, {"V": V}), x, mask, labels),
        (net.V.detach().clone().requires_grad_(),))


def test_limit_behaviour_finds_fixed_points_and_two_cycles():
    net = cascaded.CascadedNetwork(1, 2)
    with torch.no_grad():
        net.V.zero_()
        net.V[0, 0, 1] = 2.0            # symbol 0: z -> σ(2), a fixed point
        net.V[0, 1, 0], net.V[0, 1, 1] = -20.0, 12.0   # symbol 1: z -> σ(12 − 20 z)
    assert cascaded.limit_behaviour(net, 0)[0] == 1
    assert cascaded.limit_behaviour(net, 1)[0] == 2
    with pytest.raises(ValueError, match="symbol"):
        cascaded.limit_behaviour(net, 2)


def test_a_trained_cascaded_network_recognises_parity_with_a_two_cycle():
    # the appendix's setting, seed 0 (measured: long-string accuracy 1.0, period 2)
    x, mask, y = languages.string_tensors(languages.all_strings(6),
                                          languages.odd_parity)
    torch.manual_seed(0)
    net = cascaded.CascadedNetwork(2)
    train(net, lambda m, _: second_order.acceptance_loss(m, x, mask, y), [None],
          steps=200, lr=0.1, seed=0, progress=False)
    long = languages.balanced_strings(languages.odd_parity, 100, 20, 40,
                                      np.random.default_rng(1))
    xl, ml, yl = languages.string_tensors(long, languages.odd_parity)
    with torch.no_grad():
        accepted = net(xl, ml)[1][:, 0] > 0.5
    assert (accepted.float() == yl).float().mean() >= 0.99
    assert cascaded.limit_behaviour(net, 1, tol=1e-3)[0] == 2


# --- recurrent multilayer perceptron --------------------------------------------------

def test_rmlp_equals_its_equations_and_torch_stacked_rnn():
    torch.manual_seed(0)
    net = rmlp.RMLP(2, 5, 3, num_layers=3).double()
    u = np.random.default_rng(0).normal(size=(6, 4, 2))
    layers = [{"W_ih": getattr(net.layers, f"weight_ih_l{k}").detach().numpy(),
               "W_hh": getattr(net.layers, f"weight_hh_l{k}").detach().numpy(),
               "b_ih": getattr(net.layers, f"bias_ih_l{k}").detach().numpy(),
               "b_hh": getattr(net.layers, f"bias_hh_l{k}").detach().numpy()}
              for k in range(3)]
    by_hand = rmlp.rmlp_forward_numpy(u, layers, net.readout.weight.detach().numpy(),
                                      net.readout.bias.detach().numpy())
    with torch.no_grad():
        assert np.allclose(net(torch.from_numpy(u)).numpy(), by_hand, atol=1e-12)
    assert isinstance(net.layers, torch.nn.RNN) and net.layers.num_layers == 3


def test_the_plant_and_the_normalised_error():
    u = np.array([[0.5], [-1.0], [0.0]])
    y = rmlp.narendra_plant(u)
    assert np.isclose(y[0, 0], 0.125)
    assert np.isclose(y[1, 0], 0.125 / (1 + 0.125 ** 2) - 1)
    target = np.array([1.0, 2.0, 3.0])
    assert rmlp.nmse(np.full(3, 2.0), target) == 1.0 and rmlp.nmse(target, target) == 0


def test_rmlp_rejects_bad_input():
    with pytest.raises(ValueError, match="num_layers"):
        rmlp.RMLP(1, 4, 1, num_layers=0)
    with pytest.raises(ValueError, match=r"x must have shape \(T, B, D\) with D = 1"):
        rmlp.RMLP(1, 4, 1)(torch.zeros(3, 2, 2))
    with pytest.raises(ValueError, match="layer 0"):
        rmlp.rmlp_forward_numpy(np.zeros((3, 1, 2)),
                                [{"W_ih": np.zeros((4, 1)), "W_hh": np.zeros((4, 4)),
                                  "b_ih": 0, "b_hh": 0}], np.zeros((1, 4)), 0)


def test_a_trained_rmlp_beats_every_memoryless_model():
    # the appendix's setting, seed 0 (measured: NMSE 0.009 against a floor of 0.42)
    u_test, y_test = rmlp.plant_batch(100, 64, np.random.default_rng(99))
    scale = y_test.std().item()
    history = y_test[:-1] / (1 + y_test[:-1] ** 2)
    floor = history.var().item() / y_test[1:].var().item()
    torch.manual_seed(0)
    net = rmlp.RMLP(1, 8, 1, num_layers=2)
    train(net, lambda m, b: torch.nn.functional.mse_loss(m(b[0]), b[1] / scale),
          lambda step, rng: rmlp.plant_batch(20, 32, rng), steps=250, lr=3e-2, seed=0,
          progress=False)
    with torch.no_grad():
        error = rmlp.nmse(net(u_test).numpy() * scale, y_test.numpy())
    assert error < floor / 2


# --- the neural history compressor ----------------------------------------------------

def test_chain_stream_is_made_of_episodes_whose_end_follows_the_start():
    ids, K = hc.chain_stream(5, 4, np.random.default_rng(0))
    episodes = ids.numpy().reshape(5, 6)
    assert K == 8 and (episodes[:, 1:5] == np.arange(2, 6)).all()
    assert (episodes[:, 5] == episodes[:, 0] + 6).all()
    assert hc.symbol_names(2) == ["X", "Y", "c1", "c2", "p", "q"]


class _Oracle(torch.nn.Module):
    """Predicts every symbol of a stream with probability 0.99 except at the given
    positions, where it gives the actual symbol 0.5."""

    def __init__(self, ids, doubtful, K):
        super().__init__()
        self.ids, self.doubtful, self.K = ids, set(doubtful), K

    def forward(self, x, state=None):
        logits = torch.full((len(x), 1, self.K), -10.0)
        for t in range(len(x)):
            p = 0.5 if t + 1 in self.doubtful else 0.99
            # softmax gives the actual symbol p when the K - 1 others have logit -10
            logits[t, 0, self.ids[t + 1]] = (np.log(p / (1 - p)) - 10
                                             + np.log(self.K - 1))
        return logits, state


def test_unpredicted_and_compress_keep_exactly_the_unexpected_symbols():
    ids, K = hc.chain_stream(3, 3, np.random.default_rng(0))
    model = _Oracle(ids, doubtful=[5, 9], K=K)
    surprise = hc.unpredicted(model, ids)
    assert np.flatnonzero(surprise).tolist() == [0, 5, 9]
    upper, positions = hc.compress(ids, surprise)
    assert positions.tolist() == [0, 5, 9] and upper.tolist() == ids[[0, 5, 9]].tolist()
    with pytest.raises(ValueError, match="threshold"):
        hc.unpredicted(model, ids, threshold=0)
    with pytest.raises(ValueError, match="surprise"):
        hc.compress(ids, surprise[:-1])


def test_the_compressor_passes_up_a_much_shorter_sequence_the_chunker_can_predict():
    # the appendix's setting, seed 0 (measured: 2200 -> 200 symbols; p(end) 0.51 at
    # the bottom, 0.99 at the top)
    ids, K = hc.chain_stream(300, 20, np.random.default_rng(0))
    test_ids, _ = hc.chain_stream(100, 20, np.random.default_rng(100))
    torch.manual_seed(0)
    automatizer = hc.Predictor(K, 16)
    hc.train_predictor(automatizer, ids, steps=200, unroll=8, seed=0)
    chunker = hc.Predictor(K, 16)
    hc.train_predictor(chunker, hc.compress(ids, hc.unpredicted(automatizer, ids))[0],
                       steps=150, unroll=8, batch_size=8, seed=0)
    upper, _ = hc.compress(test_ids, hc.unpredicted(automatizer, test_ids))
    assert len(upper) * 10 <= len(test_ids)
    ends = test_ids.numpy() >= 22
    assert np.nanmean(hc.predicted_probabilities(automatizer, test_ids)[ends]) < 0.6
    upper_ends = upper.numpy() >= 22
    assert np.nanmean(hc.predicted_probabilities(chunker, upper)[upper_ends]) > 0.9
