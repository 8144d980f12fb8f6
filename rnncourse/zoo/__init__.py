"""The RNN zoo (appendix A): one module per family of recurrent networks that has no
chapter of its own, each small enough to run in seconds.

Modules
-------
fully_recurrent
    Williams & Zipser's (1989) fully recurrent network, with real-time recurrent
    learning (RTRL) and BPTT gradients.
jordan
    Jordan's (1986) network in PyTorch, trained through time, with don't-care targets:
    attractors and anticipation.
ctrnn
    Continuous-time RNNs integrated with Euler's method; the two-neuron oscillator.
languages
    Tomita's grammars, odd parity, finite automata and string datasets.
second_order
    Second-order RNNs (Giles et al. 1992) and automaton extraction by quantisation.
cascaded
    Pollack's (1991) sequential cascaded network, a dynamical recogniser.
rmlp
    The recurrent multilayer perceptron and a nonlinear plant to identify.
history_compressor
    Schmidhuber's (1992) neural history compressor: only unpredicted inputs go up.

Import the modules directly, e.g. ``from rnncourse.zoo import ctrnn``.
"""
